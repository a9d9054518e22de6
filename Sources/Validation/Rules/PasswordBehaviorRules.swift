/// Rules 15–18: `authentication_methods.password` behaviours that contradict a disabled
/// password or a blocked password sign-up. The defaults never produce these values
/// (RULES.md "Typed options": a disabled password gets `optional`, `block` and
/// `disable_self_service_change_password: true`), so an effective value that breaks a rule
/// was sent.
enum PasswordBehaviorRules {
    /// Rule 15.
    static let passwordDisabledAPIBehavior = Rule(
        id: "password-disabled-api-behavior",
        severity: .error,
        summary: "a disabled password needs api_behavior optional",
        path: RulePath.method(.password, "api_behavior"),
        message: "options.authentication_methods.password.api_behavior can't be required when password is "
            + "disabled, since users without a password must be supported: set api_behavior to optional"
    ) { options in
        options.passwordDisabled && options.passwordAPIBehavior == "required"
    }

    /// Rule 16.
    static let passwordDisabledSignupBehavior = Rule(
        id: "password-disabled-signup-behavior",
        severity: .error,
        summary: "a disabled password needs signup_behavior block",
        path: RulePath.method(.password, "signup_behavior"),
        message: "options.authentication_methods.password.signup_behavior can't be allow when password is "
            + "disabled: set signup_behavior to block"
    ) { options in
        options.passwordDisabled && options.passwordSignupBehavior == "allow"
    }

    /// Rule 17.
    static let signupBlockAPIBehavior = Rule(
        id: "signup-block-api-behavior",
        severity: .error,
        summary: "blocking password on sign-up needs api_behavior optional",
        path: RulePath.method(.password, "api_behavior"),
        message: "options.authentication_methods.password.api_behavior can't be required when signup_behavior "
            + "is block: set api_behavior to optional"
    ) { options in
        options.passwordEnabled && options.passwordSignupBehavior == "block" && options.passwordAPIBehavior == "required"
    }

    /// Rule 18.
    static let passwordDisabledSelfService = Rule(
        id: "password-disabled-self-service",
        severity: .error,
        summary: "a disabled password needs self-service password change disabled",
        path: RulePath.options("disable_self_service_change_password"),
        message: "options.disable_self_service_change_password can't be false when "
            + "options.authentication_methods.password.enabled is false: set it to true or leave it out"
    ) { options in
        options.passwordDisabled && options.disableSelfServiceChangePassword == false
    }
}
