import ConnectionsService
import JSON
import Validation

/// `/api/v2/prompts`: the tenant settings some connection rules depend on.
struct PromptsHandler: Sendable {
    let service: ConnectionsService

    static let experiences: Set<String> = ["new", "classic"]

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

    /// OAS `UpdateSettingsRequestContent`: at least one known key; `null` leaves a flag off.
    static func validate(_ object: JSONObject) throws(APIError) -> @Sendable (inout PromptSettings) -> Void {
        let known: Set<String> = ["universal_login_experience", "identifier_first", "webauthn_platform_first_factor"]
        let extra = object.keys.filter { !known.contains($0) }
        if !extra.isEmpty {
            throw APIError.invalidBody("Payload validation error: 'Additional properties not allowed: \(extra.joined(separator: ","))'.")
        }
        if object.isEmpty { throw APIError.invalidBody("Payload validation error: 'Too few properties defined (0), minimum 1'.") }
        var chosenExperience: String?
        if let value = object["universal_login_experience"] {
            guard let text = value.stringValue else {
                throw APIError.invalidBody(
                    "Payload validation error: 'Expected type string but found type \(value.schemaTypeName)' on property universal_login_experience (Which login experience to use. Can be `new` or `classic`.)."
                )
            }
            guard experiences.contains(text) else {
                throw APIError.invalidBody(
                    "Payload validation error: 'No enum match for: \"\(text)\"' on property universal_login_experience (Which login experience to use. Can be `new` or `classic`.)."
                )
            }
            chosenExperience = text
        }
        let experience = chosenExperience
        let identifierFirst = try flag(object, "identifier_first", "Whether identifier first is enabled or not")
        let webauthn = try flag(
            object, "webauthn_platform_first_factor", "Use WebAuthn with Device Biometrics as the first authentication factor")
        return { settings in
            if let experience { settings.universalLoginExperience = experience }
            if let identifierFirst { settings.identifierFirst = identifierFirst }
            if let webauthn { settings.webauthnPlatformFirstFactor = webauthn }
        }
    }

    /// A boolean-or-null member; `null` turns the flag off (responses only carry booleans).
    private static func flag(_ object: JSONObject, _ key: String, _ description: String) throws(APIError) -> Bool? {
        guard let value = object[key] else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .null: return false
        default:
            throw APIError.invalidBody(
                "Payload validation error: 'Expected type boolean but found type \(value.schemaTypeName)' on property \(key) (\(description))."
            )
        }
    }
}
