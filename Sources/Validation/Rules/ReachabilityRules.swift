/// Rules 21, 22, 30 and 31: configurations that are consistent but leave users unable to log
/// in, to use an enabled method, or to sign up.
enum ReachabilityRules {
    /// Rule 21.
    static let loginReachable = Rule(
        id: "login-reachable",
        severity: .error,
        summary: "some active identifier must have an enabled first factor"
    ) { options, rule in
        // No active identifier at all is rule 3's error; this rule judges the ones that are.
        var anyActive = false
        for name in AttributeName.judgingOrder {
            guard let attribute = options.attribute(name), attribute.identifierActive else { continue }
            anyActive = true
            if options.passwordEnabled { return [] }
            if let otp = name.otpMethod, options.isEnabled(otp) { return [] }
        }
        guard anyActive else { return [] }
        return [
            rule.violation(
                path: RulePath.options("attributes"),
                message: "options.attributes has no active identifier with an enabled sign-in method, so nobody "
                    + "could log in: enable password, or email_otp for an active email or phone_otp for an active "
                    + "phone_number"
            )
        ]
    }

    /// Rule 22.
    static let otpMethodUnreachable = Rule(
        id: "otp-method-unreachable",
        severity: .warning,
        summary: "an enabled OTP method needs its attribute as an active identifier"
    ) { options, rule in
        // Without attributes rule 9 already rejects every enabled OTP method.
        guard options.hasAttributes else { return [] }
        var findings: [Violation] = []
        for method in AuthenticationMethod.otpMethods {
            guard options.isEnabled(method), let attribute = method.attribute,
                !options.isActiveIdentifier(attribute)
            else { continue }
            let m = method.rawValue
            let a = attribute.rawValue
            findings.append(
                rule.violation(
                    path: RulePath.method(method, "enabled"),
                    message: "options.authentication_methods.\(m).enabled is true but \(a) is not an active identifier "
                        + "in options.attributes, so no user can use it: activate the \(a) identifier or disable \(m)"
                )
            )
        }
        return findings
    }

    /// Rule 30.
    static let phoneOTPProvider = Rule(
        id: "phone-otp-provider",
        severity: .warning,
        summary: "phone_otp needs a phone provider configured on the tenant",
        path: RulePath.method(.phoneOTP, "enabled"),
        message: "options.authentication_methods.phone_otp.enabled is true, which needs a phone provider "
            + "(SMS or voice) configured on the tenant: configure one before users sign in with phone_otp"
    ) { options in
        options.isEnabled(.phoneOTP)
    }

    /// Rule 31.
    static let signupUnreachable = Rule(
        id: "signup-unreachable",
        severity: .warning,
        summary: "sign-up is on but every active identifier is inactive on sign-up"
    ) { options, rule in
        guard options.disableSignup != true else { return [] }
        var anyActive = false
        for name in AttributeName.judgingOrder {
            guard let attribute = options.attribute(name), attribute.identifierActive else { continue }
            if attribute.signupStatus != .inactive { return [] }
            anyActive = true
        }
        // No active identifier at all is rule 3's error, not an unreachable sign-up.
        guard anyActive else { return [] }
        return [
            rule.violation(
                path: RulePath.options("attributes"),
                message: "options.attributes has signup.status inactive on every active identifier, so sign-ups "
                    + "cannot complete: set one to required or optional, or set options.disable_signup to true"
            )
        ]
    }
}
