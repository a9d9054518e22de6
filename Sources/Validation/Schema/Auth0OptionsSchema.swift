/// The typed `options` of strategy `auth0` (RULES.md, "Typed options"), with the OAS
/// descriptions. Keys not listed here are kept as sent; inside a typed object every
/// undeclared key is a schema error. Nullability follows the OAS (`type: [T, "null"]`).
enum Auth0OptionsSchema {
    static func options(nullable: Bool) -> Schema {
        .object(
            "The connection's options (depend on the connection strategy)",
            properties, additional: .allowed, nullable: nullable)
    }

    private static let properties: [SchemaProperty] =
        [
            SchemaProperty("validation", validation),
            SchemaProperty(
                "non_persistent_attrs",
                .array(
                    "An array of user fields that should not be stored in the Auth0 database (https://auth0.com/docs/security/data-security/denylist)",
                    of: .string("A user field that should not be stored", maxLength: 255), maxItems: 96, nullable: true)),
            SchemaProperty(
                "precedence",
                .array(
                    "Order of precedence for attribute types. If the property is not specified, the default precedence of attributes will be used.",
                    of: .string("Order of precedence for attribute types", oneOf: AttributeSchemas.names),
                    minItems: 3, maxItems: 3, uniqueItems: true)),
            SchemaProperty("attributes", AttributeSchemas.attributes),
            SchemaProperty(
                "enable_script_context",
                .boolean("Set to true to inject context into custom DB scripts (warning: cannot be disabled once enabled)")),
            SchemaProperty("enabledDatabaseCustomization", .boolean("Set to true to use a legacy user store")),
            SchemaProperty(
                "import_mode",
                .boolean(
                    "Enable this if you have a legacy user store and you want to gradually migrate those users to the Auth0 user store"
                )),
            SchemaProperty("brute_force_protection", .boolean("Whether brute-force protection is enabled")),
            SchemaProperty("disable_signup", .boolean("Whether sign-ups are disabled")),
            SchemaProperty(
                "disable_self_service_change_password", .boolean("Whether users are prevented from changing their password")),
            SchemaProperty(
                "configuration",
                .object(
                    "Stores encrypted string only configurations for connections",
                    additional: .matching(.string("A configuration value", nullable: true)), nullable: true)),
            SchemaProperty(
                "customScripts",
                .object(
                    "A map of scripts used to integrate with a custom database.",
                    additional: .matching(.string("A custom database script", minLength: 1)))),
            SchemaProperty("authentication_methods", AuthenticationMethodSchemas.methods),
            SchemaProperty("passkey_options", AuthenticationMethodSchemas.passkeyOptions),
            SchemaProperty("mfa", mfa),
        ] + PasswordPolicySchemas.properties

    private static let validation = Schema.object(
        "Options for validation",
        [
            SchemaProperty(
                "username",
                .object(
                    "Username length limits (legacy)",
                    [
                        SchemaProperty("min", .integer("Minimum username length", minimum: 1)),
                        SchemaProperty("max", .integer("Maximum username length", maximum: 128)),
                    ],
                    required: ["max", "min"], nullable: true))
        ],
        nullable: true)

    private static let mfa = Schema.object(
        "Multi-factor authentication settings of the connection",
        [
            SchemaProperty("active", .boolean("Whether MFA is active for the connection")),
            SchemaProperty(
                "return_enroll_settings", .boolean("Whether MFA enrollment settings are returned to the client")),
        ])
}
