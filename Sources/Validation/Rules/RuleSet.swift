/// The rules for database connections (strategy `auth0`), in RULES.md order.
public enum RuleSet {
    /// Rules 1–35 of RULES.md, top to bottom. The order is the order of the violations.
    public static let auth0: [Rule] = [
        AttributeRules.attributesRequiresUsername,  // 1
        AttributeRules.attributesLegacyValidation,  // 2
        AttributeRules.attributesActiveIdentifier,  // 3
        AttributeRules.attributeRequiredOnSignup,  // 4
        AttributeRules.attributeOptionalOnSignup,  // 5
        EmailUniquenessRules.emailUniqueAdded,  // 6
        EmailUniquenessRules.emailUniqueImmutable,  // 7
        EmailUniquenessRules.emailNonUniqueIdentifier,  // 8
        PasswordlessRules.otpRequiresAttributes,  // 9
        PasswordlessRules.passwordDisableRequiresOTP,  // 10
        PasswordlessRules.passkeyRequiresAlternative,  // 11
        PasswordlessRules.usernameRequiresPassword,  // 12
        PasswordlessRules.otpSignupVerification,  // 13
        PasswordlessRules.emailOTPVerificationMethod,  // 14
        PasswordBehaviorRules.passwordDisabledAPIBehavior,  // 15
        PasswordBehaviorRules.passwordDisabledSignupBehavior,  // 16
        PasswordBehaviorRules.signupBlockAPIBehavior,  // 17
        PasswordBehaviorRules.passwordDisabledSelfService,  // 18
        DefaultMethodRules.defaultMethodEnabled,  // 19
        DefaultMethodRules.defaultMethodInactiveIdentifier,  // 20
        ReachabilityRules.loginReachable,  // 21
        ReachabilityRules.otpMethodUnreachable,  // 22
        IdentifierFirstRules.identifierFirstEmailVerification,  // 23
        IdentifierFirstRules.identifierFirstPasskey,  // 24
        IdentifierFirstRules.identifierFirstOTP,  // 25
        UsernameRules.passkeyLegacyUsername,  // 26
        UsernameRules.usernameLengthRange,  // 27
        PasswordPolicyRules.passwordPolicyMixed,  // 28
        PasswordPolicyRules.characterTypeRule,  // 29
        ReachabilityRules.phoneOTPProvider,  // 30
        ReachabilityRules.signupUnreachable,  // 31
        CrossAppAccessRules.crossAppAccessUnsupported,  // 32
        StoredOptionsRules.nonUniqueEmailKeepsAttributes,  // 33
        StoredOptionsRules.scriptContextIrreversible,  // 34
        StoredOptionsRules.configurationKeysErased,  // 35
    ]

    /// Runs every rule on the effective connection and returns all violations, sorted by rule
    /// order, then attribute order `email`, `phone_number`, `username`.
    ///
    /// No sort is needed: rules run in order and each reports its attributes (and the OTP
    /// methods, `email_otp` before `phone_otp`) in attribute order.
    public static func evaluate(_ context: RuleContext) -> [Violation] {
        let options = EffectiveOptions(context)
        var violations: [Violation] = []
        for rule in auth0 {
            let found = rule.violations(options)
            if !found.isEmpty { violations.append(contentsOf: found) }
        }
        return violations
    }
}
