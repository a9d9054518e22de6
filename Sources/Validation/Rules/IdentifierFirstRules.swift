/// Rules 23–25: features Auth0 only offers on tenants with Identifier First
/// (`GET /prompts` `identifier_first`). With the tenant unknown they are warnings.
enum IdentifierFirstRules {
    /// Rule 23. Auth0's message.
    static let identifierFirstEmailVerification = Rule(
        id: "identifier-first-email-verification",
        severity: .error,
        summary: "email verification by otp needs Identifier First on the tenant",
        path: RulePath.attribute(.email, "verification_method"),
        message: "Email verification using otp is only compatible with Identifier First."
    ) { options in
        options.attribute(.email)?.verificationMethodIsOTP == true ? options.identifierFirstSeverity : nil
    }

    /// Rule 24. Auth0's message.
    static let identifierFirstPasskey = Rule(
        id: "identifier-first-passkey",
        severity: .error,
        summary: "passkey authentication needs Identifier First on the tenant",
        path: RulePath.method(.passkey, "enabled"),
        message: "Passkey authentication is only compatible with Identifier First."
    ) { options in
        options.isEnabled(.passkey) ? options.identifierFirstSeverity : nil
    }

    /// Rule 25. Auth0's message.
    static let identifierFirstOTP = Rule(
        id: "identifier-first-otp",
        severity: .error,
        summary: "email_otp and phone_otp need Identifier First on the tenant"
    ) { options, rule in
        guard let severity = options.identifierFirstSeverity else { return [] }
        var findings: [Violation] = []
        for method in AuthenticationMethod.otpMethods where options.isEnabled(method) {
            let label = method == .emailOTP ? "Email OTP" : "Phone OTP"
            findings.append(
                rule.violation(
                    path: RulePath.method(method, "enabled"),
                    message: "\(label) authentication is only compatible with Identifier First.",
                    severity: severity
                )
            )
        }
        return findings
    }
}
