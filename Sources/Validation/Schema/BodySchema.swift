import JSON

/// The schema of a request body that is not a connection (`ConnectionJudge` checks those):
/// `PATCH /prompts`, `PATCH /connections/{id}/clients`, and "any object" for a body whose
/// members are checked elsewhere. Checked by the same `SchemaValidator` as connections, so
/// every route words its problems as Auth0's z-schema does and types `1.0` as an integer.
public struct BodySchema: Sendable {
    let schema: Schema

    /// Every schema problem of `body`, in document order (empty when it matches).
    public func violations(of body: JSONValue) -> [Violation] {
        SchemaValidator.validate(body, against: schema)
    }

    /// A JSON object with any members: what is left is `Expected type object but found type X`.
    public static let object = BodySchema(schema: .object("", additional: .allowed))

    /// OAS `UpdateSettingsRequestContent`: at least one known key; `null` is allowed for the
    /// flags (it turns them off: docs/DECISIONS.md).
    public static let promptSettings = BodySchema(
        schema: .object(
            "Prompts settings",
            [
                SchemaProperty(
                    "universal_login_experience",
                    .string("Which login experience to use. Can be `new` or `classic`.", oneOf: ["new", "classic"])),
                SchemaProperty("identifier_first", .boolean("Whether identifier first is enabled or not", nullable: true)),
                SchemaProperty(
                    "webauthn_platform_first_factor",
                    .boolean("Use WebAuthn with Device Biometrics as the first authentication factor", nullable: true)),
            ],
            minProperties: 1))

    /// OAS `UpdateEnabledClientConnectionsRequestContent`: 1 to 50 `{client_id, status}` items
    /// (the 50 is in the OAS description of `client_id`, and Auth0 enforces it). The items have
    /// no description, so their messages end at the index: `on property [0].`
    public static let enabledClients = BodySchema(
        schema: .array(
            "",
            of: .object(
                "",
                [
                    SchemaProperty(
                        "client_id",
                        .string(
                            "The client_id of the client whose status will be changed. Note that the limit per PATCH request is 50 clients."
                        )),
                    SchemaProperty("status", .boolean("Whether the connection is enabled or not for this client_id")),
                ],
                required: ["client_id", "status"]),
            minItems: 1, maxItems: maxEnabledClientsPerPatch))

    public static let maxEnabledClientsPerPatch = 50
}
