/// The request-body schemas of `POST /connections` and `PATCH /connections/{id}`
/// (OAS `CreateConnectionRequestContent`, `UpdateConnectionRequestContent`, API.md).
/// Descriptions are the OAS `description`s, so messages read as Auth0's do; where the OAS
/// has none, a short one of ours.
enum ConnectionSchemas {
    /// Database connections: the only strategy with typed options, defaults and rules.
    static let databaseStrategy = "auth0"

    static let createAuth0 = create(options: Auth0OptionsSchema.options(nullable: false))
    static let createOther = create(options: freeFormOptions(nullable: false))
    static let updateAuth0 = update(options: Auth0OptionsSchema.options(nullable: true), enabledClients: false)
    static let updateOther = update(options: freeFormOptions(nullable: true), enabledClients: false)
    static let updateAuth0Legacy = update(options: Auth0OptionsSchema.options(nullable: true), enabledClients: true)
    static let updateOtherLegacy = update(options: freeFormOptions(nullable: true), enabledClients: true)

    /// The body schema for a create with `strategy` (the typed options only for `auth0`).
    static func create(strategy: String?) -> Schema {
        strategy == databaseStrategy ? createAuth0 : createOther
    }

    /// The body schema for an update of a connection stored with `strategy`. `enabled_clients`
    /// is a property only on a tenant with legacy enabled-client management (API.md): on any
    /// other it is an additional property, Auth0's 2026 answer to tools that still send it.
    static func update(strategy: String?, legacyEnabledClients: Bool) -> Schema {
        switch (strategy == databaseStrategy, legacyEnabledClients) {
        case (true, false): updateAuth0
        case (false, false): updateOther
        case (true, true): updateAuth0Legacy
        case (false, true): updateOtherLegacy
        }
    }

    private static let optionsDescription = "The connection's options (depend on the connection strategy)"

    private static func freeFormOptions(nullable: Bool) -> Schema {
        .object(optionsDescription, additional: .allowed, nullable: nullable)
    }

    private static func create(options: Schema) -> Schema {
        .object(
            "The connection to create",
            [
                SchemaProperty("name", name),
                SchemaProperty(
                    "display_name",
                    .string("Connection name used in the new universal login experience", minLength: 1, maxLength: 128)),
                SchemaProperty("strategy", strategy),
                SchemaProperty("options", options),
                SchemaProperty(
                    "enabled_clients",
                    .array(
                        "Use of this property is NOT RECOMMENDED. Use the PATCH /v2/connections/{id}/clients endpoint to enable the connection for a set of clients.",
                        of: clientID)),
                SchemaProperty("cross_app_access_resource_app", resourceApp(nullable: false)),
            ] + shared,
            required: ["name", "strategy"])
    }

    private static func update(options: Schema, enabledClients: Bool) -> Schema {
        var properties = [
            SchemaProperty(
                "display_name",
                .string(
                    "The connection name used in the new universal login experience. If display_name is not included in the request, the field will be overwritten with the name value.",
                    minLength: 1, maxLength: 128)),
            SchemaProperty("options", options),
        ]
        if enabledClients {
            properties.append(
                SchemaProperty(
                    "enabled_clients",
                    .array(
                        "DEPRECATED property. Use the PATCH /v2/connections/{id}/clients endpoint to enable or disable the connection for any clients.",
                        of: clientID, nullable: true)))
        }
        properties.append(SchemaProperty("cross_app_access_resource_app", resourceApp(nullable: true)))
        return .object("The connection changes", properties + shared, minProperties: 1)
    }

    static let name = Schema.string(
        "The name of the connection. Must start and end with an alphanumeric character and can only contain alphanumeric characters and '-'. Max length 128",
        maxLength: 128, pattern: .connectionName)

    static let strategy = Schema.string(
        "The identity provider identifier for the connection", oneOf: StrategyNames.identityProviders)

    private static let clientID = Schema.string("The id of the client for which the connection is to be enabled.")

    /// The members both bodies accept with the same schema.
    private static let shared: [SchemaProperty] = [
        SchemaProperty(
            "is_domain_connection",
            .boolean(
                "<code>true</code> promotes to a domain-level connection so that third-party applications can use it. <code>false</code> does not promote the connection, so only first-party applications with the connection enabled can use it. (Defaults to <code>false</code>.)"
            )),
        SchemaProperty(
            "show_as_button",
            .boolean(
                "Enables showing a button for the connection in the login page (new experience only). If false, it will be usable only by HRD. (Defaults to <code>false</code>.)"
            )),
        SchemaProperty(
            "realms",
            .array(
                "Defines the realms for which the connection will be used (ie: email domains). If the array is empty or the property is not specified, the connection name will be added as realm.",
                of: .string("The realm where this connection belongs"), maxItems: 10)),
        SchemaProperty(
            "metadata",
            .object(
                "Metadata associated with the connection in the form of an object with string values (max 255 chars).  Maximum of 10 metadata properties allowed.",
                additional: .matching(
                    .string("A metadata value: a string of at most 255 characters, or null", maxLength: 255, nullable: true)),
                maxProperties: 10)),
        SchemaProperty(
            "authentication",
            activeFlag(
                "Configure the purpose of a connection to be used for authentication during login.",
                extra: [])),
        SchemaProperty(
            "connected_accounts",
            activeFlag(
                "Configure the purpose of a connection to be used for connected accounts and Token Vault.",
                extra: [SchemaProperty("cross_app_access", .boolean("Whether the connection is used for Cross App Access"))])),
        SchemaProperty(
            "cross_app_access_requesting_app",
            activeFlag(
                "Configure the connection to be used as a Requesting Application for Cross App Access.",
                extra: [],
                active: "Set to `true` to enable the connection as a Requesting Application for Cross App Access.")),
    ]

    /// Not in the 2026-06 OAS. Recorded traffic (terraform-provider-auth0,
    /// TestAccConnectionCrossAppAccessResourceApp) sends `{"status": "enabled"|"disabled"}`,
    /// and a PATCH with `null` removes it.
    private static func resourceApp(nullable: Bool) -> Schema {
        .object(
            "Configure the connection to be used as a Resource Application for Cross App Access.",
            [
                SchemaProperty(
                    "status",
                    .string(
                        "Whether the connection is a Resource Application for Cross App Access: enabled or disabled",
                        oneOf: ["enabled", "disabled"]))
            ],
            nullable: nullable)
    }

    /// `{active: bool}` objects: `additionalProperties: false`, `required: [active]`.
    private static func activeFlag(
        _ description: String, extra: [SchemaProperty], active: String = "Whether this purpose is active"
    ) -> Schema {
        .object(description, [SchemaProperty("active", .boolean(active))] + extra, required: ["active"])
    }
}
