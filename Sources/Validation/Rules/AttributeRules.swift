/// Rules 1–5: flexible identifiers (`options.attributes`) against the legacy username options,
/// and each attribute's profile and sign-up settings.
enum AttributeRules {
    /// Rule 1. Auth0's message.
    static let attributesRequiresUsername = Rule(
        id: "attributes-requires-username",
        severity: .error,
        summary: "options.attributes and requires_username: true can't be combined",
        path: RulePath.options("requires_username"),
        message: "Cannot set both options.attributes and options.requires_username"
    ) { options in
        options.hasAttributes && options.requiresUsername
    }

    /// Rule 2. Auth0's message.
    static let attributesLegacyValidation = Rule(
        id: "attributes-legacy-validation",
        severity: .error,
        summary: "options.attributes and the legacy options.validation can't be combined",
        path: RulePath.options("validation"),
        message: "Cannot set both options.attributes and options.validation"
    ) { options in
        options.hasAttributes && options.hasLegacyValidation
    }

    /// Rule 3. Auth0's message.
    static let attributesActiveIdentifier = Rule(
        id: "attributes-active-identifier",
        severity: .error,
        summary: "options.attributes needs at least one attribute with identifier.active true",
        path: RulePath.options("attributes"),
        message: "attributes must contain one active identifier"
    ) { options in
        options.hasAttributes && !options.hasActiveIdentifier
    }

    /// Rule 4. Auth0's message.
    static let attributeRequiredOnSignup = Rule(
        id: "attribute-required-on-signup",
        severity: .error,
        summary: "an attribute required in the profile can't be inactive on sign-up"
    ) { options, rule in
        var findings: [Violation] = []
        for name in AttributeName.judgingOrder {
            guard let attribute = options.attribute(name),
                attribute.profileRequired, attribute.signupStatus == .inactive
            else { continue }
            findings.append(
                rule.violation(
                    path: RulePath.attribute(name, "signup", "status"),
                    message: "attribute \(name.rawValue) must also be required on signup"
                )
            )
        }
        return findings
    }

    /// Rule 5.
    static let attributeOptionalOnSignup = Rule(
        id: "attribute-optional-on-signup",
        severity: .warning,
        summary: "an attribute required in the profile but optional on sign-up can be skipped"
    ) { options, rule in
        var findings: [Violation] = []
        for name in AttributeName.judgingOrder {
            guard let attribute = options.attribute(name),
                attribute.profileRequired, attribute.signupStatus == .optional
            else { continue }
            let a = name.rawValue
            findings.append(
                rule.violation(
                    path: RulePath.attribute(name, "signup", "status"),
                    message: "options.attributes.\(a).profile_required is true but options.attributes.\(a).signup.status "
                        + "is optional, so users can sign up without \(a): set signup.status to required"
                )
            )
        }
        return findings
    }
}
