import ConnectionsService
import HTTP
import HTTPTransport
import JSON
import Validation

/// `/api/v2/prompts`: the tenant settings some connection rules depend on.
struct PromptsHandler: Sendable {
    let service: ConnectionsService

    func get(_ exchange: Exchange) throws {
        try exchange.require(.readPrompts)
        try exchange.query.requireOnly([])
        exchange.send(.ok, service.promptSettings.json)
    }

    func update(_ exchange: Exchange) throws {
        try exchange.require(.updatePrompts)
        try exchange.query.requireOnly(["dry_run"])
        let dryRun = try exchange.query.dryRun()
        // API.md: a body that is not a JSON object is `Invalid request payload JSON format`.
        let object = try RequestBody.object(exchange.request)
        let changes = try Self.validate(object)
        if dryRun {
            let (settings, affected) = service.promptsDryRun(changes)
            let items: [JSONValue] = affected.map { connection in
                .object([
                    "id": .string(connection.id), "name": .string(connection.name),
                    "violations": .array(connection.violations.map(\.json)),
                ])
            }
            exchange.send(.ok, .object(["settings": settings.json, "affected": .array(items)]))
            return
        }
        // API.md: a change that breaks stored connections is accepted, with a warning naming
        // how many (judged before the write; nothing is judged when the rules' view of the
        // tenant does not change).
        let broken = service.promptsDryRun(changes).affected.count
        service.updatePrompts(changes) { result in
            if case .success = result, broken > 0 {
                Log.info("warning: the /prompts change leaves \(broken) stored connection(s) invalid under the new settings")
            }
            exchange.finish(result.map { .json(.ok, $0.json) })
        }
    }

    /// The settings a `PATCH /prompts` body changes, once it matches OAS
    /// `UpdateSettingsRequestContent` (`BodySchema.promptSettings`).
    static func validate(_ object: JSONObject) throws(APIError) -> @Sendable (inout PromptSettings) -> Void {
        try RequestBody.checked(.object(object), against: .promptSettings)
        let experience = object["universal_login_experience"]?.stringValue
        // `null` turns a flag off: responses only carry booleans (docs/DECISIONS.md).
        let identifierFirst = object["identifier_first"].map { $0.boolValue ?? false }
        let webauthn = object["webauthn_platform_first_factor"].map { $0.boolValue ?? false }
        return { settings in
            if let experience { settings.universalLoginExperience = experience }
            if let identifierFirst { settings.identifierFirst = identifierFirst }
            if let webauthn { settings.webauthnPlatformFirstFactor = webauthn }
        }
    }
}
