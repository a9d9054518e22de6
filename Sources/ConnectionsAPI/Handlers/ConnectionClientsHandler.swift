import ConnectionsService
import HTTP
import JSON
import Validation

/// `/api/v2/connections/{id}/clients`: the clients a connection is enabled for, kept in
/// the connection's `enabled_clients` (sorted) so both views always agree.
struct ConnectionClientsHandler: Sendable {
    let service: ConnectionsService

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

    /// The changes of a body that matches OAS `UpdateEnabledClientConnectionsRequestContent`
    /// (`BodySchema.enabledClients`).
    static func parseChanges(_ body: JSONValue) throws(APIError) -> [(clientID: String, enabled: Bool)] {
        try RequestBody.checked(body, against: .enabledClients)
        // Every item is a `{client_id: string, status: boolean}` now; nothing is dropped.
        return (body.arrayValue ?? []).compactMap { item in
            guard let clientID = item["client_id"]?.stringValue, let status = item["status"]?.boolValue else { return nil }
            return (clientID, status)
        }
    }
}
