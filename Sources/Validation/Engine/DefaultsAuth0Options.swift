import JSON

/// The stored defaults of strategy `auth0` options (API.md, POST and PATCH; RULES.md,
/// "Typed options"). Everything here runs on schema-valid options only, so the typed keys
/// hold the types the schema promises.
enum DefaultsAuth0Options {
    /// Fills a create's options: the sent keys in their order, then the defaults that were absent.
    static func fillCreate(_ options: inout JSONObject) {
        var slots = DefaultsOptionSlots(options)
        fillEmailAttribute(&slots)
        fillPasswordOptions(&slots)
        slots.setDefault(.bruteForceProtection, .bool(true))
        slots.setDefault(.strategyVersion, .int(2))
        slots.setDefault(.mfa, mfa)
        // Auth0 moved new tenants from `passwordPolicy` to `password_options` in 2026;
        // API.md keeps the older default and never adds it beside `password_options`.
        if slots[.passwordOptions] == nil { slots.setDefault(.passwordPolicy, .string("good")) }
        if isAbsentOrNull(slots[.passkeyOptions]) { slots[.passkeyOptions] = passkeyOptions }
        if let sent = slots[.authenticationMethods]?.objectValue {
            slots[.authenticationMethods] = .object(filledAuthenticationMethods(sent))
        } else {
            slots[.authenticationMethods] = .object(authenticationMethods)
        }
        fillSelfServiceChangePassword(&slots)
        options = slots.object
    }

    /// Fills a PATCH's replacement options. `authentication_methods`, `passkey_options` and
    /// `brute_force_protection` left out keep their stored values (API.md: recorded PATCHes
    /// bring all three back, and keeping a stored method never turns a login method back on).
    static func fillUpdate(_ options: inout JSONObject, stored: JSONObject) {
        var slots = DefaultsOptionSlots(options)
        fillEmailAttribute(&slots)
        fillPasswordOptions(&slots)
        if let sent = slots[.authenticationMethods]?.objectValue {
            slots[.authenticationMethods] = .object(filledAuthenticationMethods(sent))
        }
        for key in [DefaultsOptionKey.authenticationMethods, .passkeyOptions, .bruteForceProtection]
        where isAbsentOrNull(slots[key]) {
            if let kept = stored[key.name] { slots[key] = kept }
        }
        fillSelfServiceChangePassword(&slots)
        options = slots.object
    }

    /// Each method left out becomes `{"enabled": false}`; `password` gets its behaviours
    /// where absent: `required`/`allow` normally, `optional`/`block` for a disabled
    /// password, and `optional` API behaviour when sign-up is blocked (RULES.md).
    static func filledAuthenticationMethods(_ sent: JSONObject) -> JSONObject {
        var methods = sent
        for name in AuthenticationMethodSchemas.methodNames {
            methods.setDefault(name, disabledMethod)
        }
        guard var password = methods["password"]?.objectValue else { return methods }
        let disabled = password["enabled"]?.boolValue != true
        if disabled {
            password.setDefault("api_behavior", .string("optional"))
            password.setDefault("signup_behavior", .string("block"))
        } else {
            let blocked = password["signup_behavior"]?.stringValue == "block"
            password.setDefault("api_behavior", .string(blocked ? "optional" : "required"))
            password.setDefault("signup_behavior", .string("allow"))
        }
        methods["password"] = .object(password)
        return methods
    }

    /// A sent `attributes.email` gets `unique: true` and `verification_method: "link"`.
    private static func fillEmailAttribute(_ slots: inout DefaultsOptionSlots) {
        guard var attributes = slots[.attributes]?.objectValue,
            var email = attributes["email"]?.objectValue
        else { return }
        email.setDefault("unique", .bool(true))
        email.setDefault("verification_method", .string("link"))
        attributes["email"] = .object(email)
        slots[.attributes] = .object(attributes)
    }

    /// A sent `password_options` is deep-filled: every group, every field (RULES.md).
    private static func fillPasswordOptions(_ slots: inout DefaultsOptionSlots) {
        guard let policy = slots[.passwordOptions]?.objectValue else { return }
        slots[.passwordOptions] = .object(filledPasswordOptions(policy))
    }

    static func filledPasswordOptions(_ sent: JSONObject) -> JSONObject {
        var policy = sent
        for (group, defaults) in passwordOptionGroups {
            var filled = policy[group]?.objectValue ?? JSONObject()
            for member in defaults { filled.setDefault(member.key, member.value) }
            policy[group] = .object(filled)
        }
        return policy
    }

    /// Without a password users cannot change one themselves: `true` unless sent.
    private static func fillSelfServiceChangePassword(_ slots: inout DefaultsOptionSlots) {
        guard let password = slots[.authenticationMethods]?["password"], password["enabled"]?.boolValue != true
        else { return }
        slots.setDefault(.disableSelfServiceChangePassword, .bool(true))
    }

    private static func isAbsentOrNull(_ value: JSONValue?) -> Bool {
        value == nil || value?.isNull == true
    }

    static let disabledMethod: JSONValue = .object(["enabled": .bool(false)])

    static let mfa: JSONValue = .object(["active": .bool(true), "return_enroll_settings": .bool(true)])

    static let passkeyOptions: JSONValue = .object([
        "challenge_ui": .string("both"),
        "progressive_enrollment_enabled": .bool(true),
        "local_enrollment_enabled": .bool(true),
    ])

    static let authenticationMethods: JSONObject = [
        "password": .object([
            "enabled": .bool(true), "api_behavior": .string("required"), "signup_behavior": .string("allow"),
        ]),
        "passkey": disabledMethod,
    ]

    static let passwordOptionGroups: [(String, JSONObject)] = [
        (
            "complexity",
            [
                "min_length": .int(15),
                "character_types": .array([]),
                "character_type_rule": .string("all"),
                "identical_characters": .string("allow"),
                "sequential_characters": .string("allow"),
                "max_length_exceeded": .string("error"),
            ]
        ),
        ("dictionary", ["active": .bool(false), "custom": .array([]), "default": .string("en_100k")]),
        ("history", ["active": .bool(false), "size": .int(3)]),
        (
            "profile_data",
            [
                "active": .bool(false),
                "blocked_fields": .array(
                    [
                        "name", "username", "nickname", "email", "phone_number", "user_metadata.name",
                        "user_metadata.first", "user_metadata.last",
                    ].map { .string($0) }),
            ]
        ),
    ]
}
