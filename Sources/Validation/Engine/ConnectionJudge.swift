import JSON

/// Judges connection bodies: the schema of the body and of the typed `auth0` options,
/// then default filling (and the PATCH merge), then the rules on the effective
/// connection (RULES.md, "How a configuration is judged").
public enum ConnectionJudge {
    /// Judges a `POST /connections` body. The connection is what would be stored, without
    /// `id`; `nil` when the body has a schema error.
    public static func judgeCreate(_ body: JSONValue, tenant: TenantSettings) -> Judgement {
        guard let object = body.objectValue else { return notAnObject(body) }
        let strategy = object["strategy"]?.stringValue
        let schemaViolations = SchemaValidator.validate(body, against: ConnectionSchemas.create(strategy: strategy))
        guard schemaViolations.isEmpty else { return Judgement(violations: schemaViolations, connection: nil) }

        var options = object["options"]?.objectValue ?? JSONObject()
        let isDatabase = strategy == ConnectionSchemas.databaseStrategy
        if isDatabase { DefaultsAuth0Options.fillCreate(&options) }
        let connection = MergeConnection.created(from: object, options: options)
        guard isDatabase else { return Judgement(violations: [], connection: connection) }
        let context = RuleContext(connection: connection, stored: nil, tenant: tenant)
        return Judgement(violations: RuleSet.evaluate(context), connection: connection)
    }

    /// Judges a `PATCH /connections/{id}` body against the stored connection (which has
    /// `id`, `name`, `strategy`, ...). The new state is judged as a whole. `enabled_clients` is
    /// accepted only when `tenant.legacyEnabledClients` (API.md).
    public static func judgeUpdate(_ body: JSONValue, stored: JSONObject, tenant: TenantSettings) -> Judgement {
        guard let object = body.objectValue else { return notAnObject(body) }
        let strategy = stored["strategy"]?.stringValue
        let schemaViolations = SchemaValidator.validate(
            body, against: ConnectionSchemas.update(strategy: strategy, legacyEnabledClients: tenant.legacyEnabledClients))
        guard schemaViolations.isEmpty else { return Judgement(violations: schemaViolations, connection: nil) }

        let isDatabase = strategy == ConnectionSchemas.databaseStrategy
        var options: JSONObject?
        if let sent = object["options"] {
            // Options are replaced wholesale (Auth0 documents this); `null`, which the OAS
            // allows, replaces them with nothing.
            var replacement = sent.objectValue ?? JSONObject()
            if isDatabase {
                DefaultsAuth0Options.fillUpdate(&replacement, stored: stored["options"]?.objectValue ?? JSONObject())
            }
            options = replacement
        }
        let connection = MergeConnection.updated(stored, with: object, options: options)
        guard isDatabase else { return Judgement(violations: [], connection: connection) }
        let context = RuleContext(connection: connection, stored: stored, tenant: tenant)
        return Judgement(violations: RuleSet.evaluate(context), connection: connection)
    }

    /// Judges a whole connection as it would be stored again (a restore of a revision, or a
    /// stored connection under other tenant settings): the PATCH schema on the members a PATCH
    /// may carry, then the rules, against `stored` (the connection it would replace, if any).
    /// No defaults are filled: the connection is judged exactly as it would be stored.
    public static func judgeState(_ connection: JSONObject, stored: JSONObject?, tenant: TenantSettings) -> Judgement {
        let strategy = connection["strategy"]?.stringValue
        var patchable = connection
        for key in ["id", "name", "strategy", "enabled_clients"] { patchable[key] = nil }
        if !patchable.isEmpty {
            // `enabled_clients` is left out above: a restore brings back the recorded set in
            // either mode, so the schema is the PATCH's without it.
            let schemaViolations = SchemaValidator.validate(
                .object(patchable), against: ConnectionSchemas.update(strategy: strategy, legacyEnabledClients: false))
            guard schemaViolations.isEmpty else { return Judgement(violations: schemaViolations, connection: nil) }
        }
        guard strategy == ConnectionSchemas.databaseStrategy else { return Judgement(violations: [], connection: connection) }
        let context = RuleContext(connection: connection, stored: stored, tenant: tenant)
        return Judgement(violations: RuleSet.evaluate(context), connection: connection)
    }

    /// The API answers a body that is not an object with `Invalid request payload JSON
    /// format`; the violation says the same for `lint` and dry runs.
    private static func notAnObject(_ body: JSONValue) -> Judgement {
        Judgement(violations: BodySchema.object.violations(of: body), connection: nil)
    }
}
