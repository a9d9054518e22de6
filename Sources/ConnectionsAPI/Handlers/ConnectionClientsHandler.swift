import ConnectionsService
import JSON
import Validation

/// `/api/v2/connections/{id}/clients`: the clients a connection is enabled for, kept in
/// the connection's `enabled_clients` (sorted) so both views always agree.
struct ConnectionClientsHandler: Sendable {
    let service: ConnectionsService

    /// OAS `UpdateEnabledClientConnectionsRequestContent`: 1–50 items per PATCH.
    static let maxItemsPerPatch = 50

    func get(_ exchange: Exchange, id: String) throws {
        try exchange.require(.readConnections)
        try exchange.query.requireOnly(["take", "from"])
        let take = try exchange.query.integer("take", in: 1...1000, description: "Number of results per page. Defaults to 50.") ?? 50
        let from = exchange.query.value("from")
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        guard let entry = service.catalog.entry(id: id) else { throw APIError.connectionNotFound }

        var start = 0
        if let from, !from.isEmpty {
            guard from.utf8.count <= 1000, let bytes = Base64URL.decode(from), let after = String(validating: bytes, as: UTF8.self) else {
                throw APIError.invalidQuery(
                    "Invalid checkpoint: use the next value of a previous page", property: "from",
                    description: "Optional Id from which to start selection.")
            }
            start = entry.enabledClients.firstIndex { $0 > after } ?? entry.enabledClients.count
        }
        let page = entry.enabledClients[start...].prefix(take)
        var body = JSONObject()
        body["clients"] = .array(page.map { .object(["client_id": .string($0)]) })
        if start + page.count < entry.enabledClients.count, let last = page.last {
            body["next"] = .string(Base64URL.encode(Array(last.utf8)))
        }
        exchange.send(.ok, .object(body))
    }

    func update(_ exchange: Exchange, id: String) throws {
        try exchange.require(.updateConnections)
        try exchange.query.requireOnly([])
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        let changes = try Self.parseChanges(RequestBody.json(exchange.request))
        let ifMatch = try EntityTags.ifMatch(exchange.request.headers)
        service.updateClients(id: id, changes: changes, by: exchange.actor, ifMatch: ifMatch) { result in
            exchange.finish(result.map { _ in .noContent })
        }
    }

    /// Checks the body against the OAS schema, with Auth0's payload messages.
    static func parseChanges(_ body: JSONValue) throws(APIError) -> [(clientID: String, enabled: Bool)] {
        guard case .array(let items) = body else {
            throw APIError.invalidBody("Payload validation error: 'Expected type array but found type \(body.schemaTypeName)'.")
        }
        guard !items.isEmpty else { throw APIError.invalidBody("Payload validation error: 'Array is too short (0), minimum 1'.") }
        guard items.count <= maxItemsPerPatch else {
            throw APIError.invalidBody("Payload validation error: 'Array is too long (\(items.count)), maximum \(maxItemsPerPatch)'.")
        }
        var changes: [(clientID: String, enabled: Bool)] = []
        for (index, item) in items.enumerated() {
            guard case .object(let object) = item else {
                throw APIError.invalidBody(
                    "Payload validation error: 'Expected type object but found type \(item.schemaTypeName)' on property [\(index)].")
            }
            let extra = object.keys.filter { $0 != "client_id" && $0 != "status" }
            if !extra.isEmpty {
                throw APIError.invalidBody(
                    "Payload validation error: 'Additional properties not allowed: \(extra.joined(separator: ","))' on property [\(index)]."
                )
            }
            guard let clientValue = object["client_id"] else {
                throw APIError.invalidBody("Payload validation error: 'Missing required property: client_id' on property [\(index)].")
            }
            guard let clientID = clientValue.stringValue else {
                throw APIError.invalidBody(
                    "Payload validation error: 'Expected type string but found type \(clientValue.schemaTypeName)' on property [\(index)].client_id (The client_id of the client whose status will be changed. Note that the limit per PATCH request is 50 clients.)."
                )
            }
            guard let statusValue = object["status"] else {
                throw APIError.invalidBody("Payload validation error: 'Missing required property: status' on property [\(index)].")
            }
            guard let status = statusValue.boolValue else {
                throw APIError.invalidBody(
                    "Payload validation error: 'Expected type boolean but found type \(statusValue.schemaTypeName)' on property [\(index)].status (Whether the connection is enabled or not for this client_id)."
                )
            }
            changes.append((clientID, status))
        }
        return changes
    }
}
