import Validation

/// How the Auth0 provider (auth0/terraform-provider-auth0, `internal/auth0/connection/`
/// `expand.go`) turns an `auth0_connection`'s attributes into the API's JSON: which
/// attributes it sends, under which API names, and which are nested blocks (a list of one
/// object in Terraform, an object in the API).
struct ProviderSchema: Sendable {
    /// One Terraform attribute or block of the resource.
    struct Field: Sendable {
        enum Kind: Sendable {
            /// A value sent as it is (strings, numbers, booleans, lists of strings, maps).
            case value
            /// A JSON-encoded string (`upstream_params`) sent as the JSON it holds.
            case jsonString
            /// A nested block: a list of (at most) one object.
            case block(ProviderSchema, dropIfEmpty: Bool)
        }

        let name: String
        let apiName: String
        let kind: Kind
    }

    let fields: [Field]

    func field(_ name: String) -> Field? {
        fields.first { $0.name == name }
    }

    private static func value(_ name: String, api: String? = nil) -> Field {
        Field(name: name, apiName: api ?? name, kind: .value)
    }

    private static func block(_ name: String, dropIfEmpty: Bool = false, _ fields: [Field]) -> Field {
        Field(name: name, apiName: name, kind: .block(ProviderSchema(fields: fields), dropIfEmpty: dropIfEmpty))
    }

    // MARK: - The resource

    /// `expandConnection`: the top level. `name` and `strategy` are sent on create only.
    static let connection = ProviderSchema(fields: [
        value("name"), value("strategy"), value("display_name"), value("is_domain_connection"), value("metadata"),
        value("realms"),
        block("options", auth0Options.fields),
        block("authentication", [value("active")]),
        block("connected_accounts", [value("active")]),
        block("cross_app_access_requesting_app", [value("active")]),
        block("cross_app_access_resource_app", [value("status")]),
    ])

    /// Top-level fields other strategies send: their options are another expander's, which
    /// lint does not judge (the rules are for database connections).
    static let otherStrategy = ProviderSchema(fields: connection.fields.filter { $0.name != "options" })

    private static let identifier = block("identifier", [value("active"), value("default_method")])
    private static let verification = block("verification", [value("active")])

    /// `expandConnectionOptionsAuth0`.
    static let auth0Options = ProviderSchema(fields: [
        value("password_policy", api: "passwordPolicy"),
        value("non_persistent_attrs"),
        value("set_user_root_attributes"),
        value("enable_script_context"),
        value("enabled_database_customization", api: "enabledDatabaseCustomization"),
        value("brute_force_protection"),
        value("import_mode"),
        value("disable_signup"),
        value("disable_self_service_change_password"),
        value("requires_username"),
        value("custom_scripts", api: "customScripts"),
        value("configuration"),
        value("strategy_version"),
        value("realm_fallback"),
        value("precedence"),
        Field(name: "upstream_params", apiName: "upstream_params", kind: .jsonString),
        block(
            "attributes",
            [
                block(
                    "email",
                    [
                        identifier, value("profile_required"), value("verification_method"),
                        block("signup", [value("status"), verification]), value("unique"),
                    ]),
                block(
                    "username",
                    [
                        identifier, value("profile_required"), block("signup", [value("status")]),
                        block(
                            "validation",
                            [
                                value("min_length"), value("max_length"),
                                block("allowed_types", [value("email"), value("phone_number")]),
                            ]),
                    ]),
                block(
                    "phone_number",
                    [identifier, value("profile_required"), block("signup", [value("status"), verification])]),
            ]),
        block("validation", dropIfEmpty: true, [block("username", dropIfEmpty: true, [value("min"), value("max")])]),
        block("password_history", dropIfEmpty: true, [value("enable"), value("size")]),
        block("password_no_personal_info", dropIfEmpty: true, [value("enable")]),
        block("password_dictionary", dropIfEmpty: true, [value("enable"), value("dictionary")]),
        block("password_complexity_options", dropIfEmpty: true, [value("min_length")]),
        block("mfa", dropIfEmpty: true, [value("active"), value("return_enroll_settings")]),
        block(
            "authentication_methods",
            [
                block("password", [value("enabled"), value("api_behavior"), value("signup_behavior")]),
                block("passkey", [value("enabled")]),
                block("email_otp", [value("enabled")]),
                block("phone_otp", [value("enabled")]),
            ]),
        block(
            "passkey_options",
            [value("challenge_ui"), value("local_enrollment_enabled"), value("progressive_enrollment_enabled")]),
        block("custom_password_hash", [value("action_id")]),
        block(
            "password_options",
            [
                block(
                    "complexity",
                    [
                        value("min_length"), value("character_types"), value("character_type_rule"),
                        value("identical_characters"), value("sequential_characters"), value("max_length_exceeded"),
                    ]),
                block("profile_data", [value("active"), value("blocked_fields")]),
                block("history", [value("active"), value("size")]),
                block("dictionary", [value("active"), value("default"), value("custom")]),
            ]),
    ])
}
