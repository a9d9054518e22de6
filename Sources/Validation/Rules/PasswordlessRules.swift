/// Rules 9–14: what a connection needs before it can sign users in without a password
/// (email or phone one-time passwords).
enum PasswordlessRules {
    /// Rule 9.
    static let otpRequiresAttributes = Rule(
        id: "otp-requires-attributes",
        severity: .error,
        summary: "email_otp, phone_otp or a disabled password need options.attributes",
        path: RulePath.options("attributes"),
        message: "options.attributes is required when options.authentication_methods enables email_otp or "
            + "phone_otp or disables password: add options.attributes with an active identifier"
    ) { options in
        !options.hasAttributes && (options.anyOTPEnabled || options.passwordDisabled)
    }

    /// Rule 10.
    static let passwordDisableRequiresOTP = Rule(
        id: "password-disable-requires-otp",
        severity: .error,
        summary: "password can't be disabled unless email_otp or phone_otp is enabled",
        path: RulePath.method(.password, "enabled"),
        message: "options.authentication_methods.password.enabled can't be false unless email_otp or "
            + "phone_otp is enabled: enable one of them or keep password enabled"
    ) { options in
        options.passwordDisabled && !options.anyOTPEnabled
    }

    /// Rule 11.
    static let passkeyRequiresAlternative = Rule(
        id: "passkey-requires-alternative",
        severity: .error,
        summary: "passkey can't be the only enabled authentication method",
        path: RulePath.method(.passkey, "enabled"),
        message: "options.authentication_methods.passkey can't be the only enabled method: "
            + "enable password, email_otp or phone_otp as well"
    ) { options in
        options.isEnabled(.passkey) && options.passwordDisabled && !options.anyOTPEnabled
    }

    /// Rule 12.
    static let usernameRequiresPassword = Rule(
        id: "username-requires-password",
        severity: .error,
        summary: "an active username identifier needs password enabled",
        path: RulePath.attribute(.username, "identifier", "active"),
        message: "options.attributes.username.identifier.active needs options.authentication_methods.password "
            + "enabled, because usernames sign in with a password only: enable password or deactivate the "
            + "username identifier"
    ) { options in
        options.passwordDisabled && options.isActiveIdentifier(.username)
    }

    /// Rule 13.
    static let otpSignupVerification = Rule(
        id: "otp-signup-verification",
        severity: .error,
        summary: "without password, email and phone_number identifiers must be verified on sign-up"
    ) { options, rule in
        guard options.passwordDisabled else { return [] }
        var findings: [Violation] = []
        for name in AttributeName.judgingOrder where name.otpMethod != nil {
            guard let attribute = options.attribute(name),
                attribute.identifierActive,
                attribute.signupStatus != .inactive,
                !attribute.signupVerificationActive
            else { continue }
            let a = name.rawValue
            findings.append(
                rule.violation(
                    path: RulePath.attribute(name, "signup", "verification", "active"),
                    message: "options.attributes.\(a).signup.verification.active must be true when "
                        + "options.authentication_methods.password.enabled is false, so that sign-ups verify \(a) "
                        + "by one-time password: set it to true"
                )
            )
        }
        return findings
    }

    /// Rule 14.
    static let emailOTPVerificationMethod = Rule(
        id: "email-otp-verification-method",
        severity: .error,
        summary: "without password, an email identifier must be verified by otp, not link",
        path: RulePath.attribute(.email, "verification_method"),
        message: "options.attributes.email.verification_method must be otp when "
            + "options.authentication_methods.password.enabled is false and email is an active identifier: "
            + "set verification_method to otp"
    ) { options in
        guard options.passwordDisabled, let email = options.attribute(.email) else { return false }
        return email.identifierActive && email.verificationMethodIsLink
    }
}
