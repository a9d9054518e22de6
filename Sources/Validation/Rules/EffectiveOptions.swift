import JSON

/// A typed, read-only view of the effective connection the rules judge, with the judging-only
/// defaults of RULES.md ("How a configuration is judged", step 2) applied: an absent `enabled`
/// counts as `false`; `validation: null` and `requires_username: null` count as absent.
///
/// Built in one pass over the connection, its `options`, `attributes` and
/// `authentication_methods`: member lookups on `JSONObject` are linear scans, and 32 rules each
/// scanning for what they need cost several times the whole evaluation.
struct EffectiveOptions: Sendable {
    let context: RuleContext
    /// The effective `options` object, for the few reads the view doesn't precompute.
    let options: JSONObject

    /// `strategy` of the connection, when a string.
    let strategy: String?
    /// `cross_app_access_requesting_app` is present and not `null`.
    let hasCrossAppAccessRequestingApp: Bool

    /// RULES.md's "`attributes` present": `options.attributes` is an object.
    let hasAttributes: Bool
    let email: EffectiveAttribute?
    let phoneNumber: EffectiveAttribute?
    let username: EffectiveAttribute?

    /// `options.authentication_methods` is an object.
    let hasAuthenticationMethods: Bool
    private let enabledMethods: (password: Bool, passkey: Bool, emailOTP: Bool, phoneOTP: Bool)
    /// `authentication_methods.password.api_behavior` when a string.
    let passwordAPIBehavior: String?
    /// `authentication_methods.password.signup_behavior` when a string.
    let passwordSignupBehavior: String?

    /// `requires_username` is `true` (`false`, `null` and absent are not).
    let requiresUsername: Bool
    /// The legacy `validation` is present and not `null`.
    let hasLegacyValidation: Bool
    /// `disable_signup` when a boolean.
    let disableSignup: Bool?
    /// `disable_self_service_change_password` when a boolean.
    let disableSelfServiceChangePassword: Bool?
    /// `password_options` when an object.
    let passwordOptions: JSONObject?
    /// The legacy password-policy keys present and not `null`, one `LegacyPasswordField.bit` each.
    let legacyPasswordFieldMask: UInt8

    init(_ context: RuleContext) {
        self.context = context

        var options = JSONObject()
        var strategy: String?
        var crossApp = false
        for member in context.connection {
            let key = member.key
            if key.isKey("options") {
                options = member.value.objectValue ?? JSONObject()
            } else if key.isKey("strategy") {
                strategy = member.value.stringValue
            } else if key.isKey("cross_app_access_requesting_app") {
                crossApp = !member.value.isNull
            }
        }
        self.options = options
        self.strategy = strategy
        self.hasCrossAppAccessRequestingApp = crossApp

        var attributes: JSONObject?
        var methods: JSONObject?
        var requiresUsername = false
        var hasLegacyValidation = false
        var disableSignup: Bool?
        var disableSelfService: Bool?
        var passwordOptions: JSONObject?
        var legacyMask: UInt8 = 0
        for member in options {
            let key = member.key
            let value = member.value
            if key.isKey("attributes") {
                attributes = value.objectValue
            } else if key.isKey("authentication_methods") {
                methods = value.objectValue
            } else if key.isKey("requires_username") {
                requiresUsername = value.boolValue == true
            } else if key.isKey("validation") {
                hasLegacyValidation = !value.isNull
            } else if key.isKey("disable_signup") {
                disableSignup = value.boolValue
            } else if key.isKey("disable_self_service_change_password") {
                disableSelfService = value.boolValue
            } else if key.isKey("password_options") {
                passwordOptions = value.objectValue
            } else if !value.isNull, let field = LegacyPasswordField(key: key) {
                // `null` unsets a legacy field (the OpenAPI types them `object | null`).
                legacyMask |= field.bit
            }
        }
        self.requiresUsername = requiresUsername
        self.hasLegacyValidation = hasLegacyValidation
        self.disableSignup = disableSignup
        self.disableSelfServiceChangePassword = disableSelfService
        self.passwordOptions = passwordOptions
        self.legacyPasswordFieldMask = legacyMask

        var email: EffectiveAttribute?
        var phoneNumber: EffectiveAttribute?
        var username: EffectiveAttribute?
        if let attributes {
            for member in attributes {
                guard let object = member.value.objectValue else { continue }
                let key = member.key
                if key.isKey("email") {
                    email = EffectiveAttribute(name: .email, object: object)
                } else if key.isKey("phone_number") {
                    phoneNumber = EffectiveAttribute(name: .phoneNumber, object: object)
                } else if key.isKey("username") {
                    username = EffectiveAttribute(name: .username, object: object)
                }
            }
        }
        self.hasAttributes = attributes != nil
        self.email = email
        self.phoneNumber = phoneNumber
        self.username = username

        self.hasAuthenticationMethods = methods != nil
        if let methods {
            var enabled = (password: false, passkey: false, emailOTP: false, phoneOTP: false)
            var apiBehavior: String?
            var signupBehavior: String?
            for member in methods {
                let key = member.key
                let isOn = member.value["enabled"]?.boolValue == true
                if key.isKey("password") {
                    enabled.password = isOn
                    apiBehavior = member.value["api_behavior"]?.stringValue
                    signupBehavior = member.value["signup_behavior"]?.stringValue
                } else if key.isKey("passkey") {
                    enabled.passkey = isOn
                } else if key.isKey("email_otp") {
                    enabled.emailOTP = isOn
                } else if key.isKey("phone_otp") {
                    enabled.phoneOTP = isOn
                }
            }
            self.enabledMethods = enabled
            self.passwordAPIBehavior = apiBehavior
            self.passwordSignupBehavior = signupBehavior
        } else {
            // A connection without `authentication_methods` predates the key (Auth0 still
            // returns such connections, see the recordings): it signs in with a password only.
            self.enabledMethods = (password: true, passkey: false, emailOTP: false, phoneOTP: false)
            self.passwordAPIBehavior = nil
            self.passwordSignupBehavior = nil
        }
    }

    // MARK: - Attributes

    /// One attribute of `options.attributes`, when present and an object.
    func attribute(_ name: AttributeName) -> EffectiveAttribute? {
        switch name {
        case .email: return email
        case .phoneNumber: return phoneNumber
        case .username: return username
        }
    }

    // MARK: - The stored connection (PATCH only)

    /// `options` of the stored connection, when it is an object (rules 33–35 compare with it).
    var storedOptions: JSONObject? {
        context.stored?["options"]?.objectValue
    }

    /// One attribute of the stored connection's `options.attributes` (rules 6, 7 and 33).
    func storedAttribute(_ name: AttributeName) -> EffectiveAttribute? {
        guard let object = storedOptions?["attributes"]?[name.rawValue]?.objectValue else { return nil }
        return EffectiveAttribute(name: name, object: object)
    }

    /// True when any attribute has `identifier.active: true`.
    var hasActiveIdentifier: Bool {
        email?.identifierActive == true || phoneNumber?.identifierActive == true
            || username?.identifierActive == true
    }

    /// True when `name` is present with `identifier.active: true`.
    func isActiveIdentifier(_ name: AttributeName) -> Bool {
        attribute(name)?.identifierActive == true
    }

    // MARK: - Authentication methods

    /// Whether a method's effective `enabled` is `true`.
    func isEnabled(_ method: AuthenticationMethod) -> Bool {
        switch method {
        case .password: return enabledMethods.password
        case .passkey: return enabledMethods.passkey
        case .emailOTP: return enabledMethods.emailOTP
        case .phoneOTP: return enabledMethods.phoneOTP
        }
    }

    var passwordEnabled: Bool {
        enabledMethods.password
    }

    /// RULES.md's "password disabled".
    var passwordDisabled: Bool {
        !enabledMethods.password
    }

    /// True when `email_otp` or `phone_otp` is enabled.
    var anyOTPEnabled: Bool {
        enabledMethods.emailOTP || enabledMethods.phoneOTP
    }

    // MARK: - Tenant

    /// The severity of a rule that only applies without Identifier First: `nil` when the
    /// tenant has it (the rule does not apply), `.warning` when the tenant is unknown
    /// (`lint` without tenant settings), `.error` when the tenant lacks it.
    var identifierFirstSeverity: Severity? {
        switch context.tenant.identifierFirst {
        case .some(true): return nil
        case .some(false): return .error
        case .none: return .warning
        }
    }
}
