import ConnectionsService
import HTTP
import HTTPTransport
import JSON

/// `/api/v2/connections/{id}/revisions`, `/revisions/{n}` and `/revisions/{n}/restore`: a
/// connection's history, read from the store, and restores, which are service jobs.
struct RevisionsHandler: Sendable {
    let service: ConnectionsService

    func list(_ exchange: Exchange, id: String) throws {
        try exchange.require(.readConnections)
        try exchange.query.requireOnly(["take", "from"])
        let take = try exchange.query.integer("take", in: 1...100, description: "Number of results per page. Defaults to 50.") ?? 50
        var before: Int?
        if let from = exchange.query.value("from"), !from.isEmpty {
            guard let number = Self.decodeCursor(from) else {
                throw APIError.invalidQuery(
                    "Invalid checkpoint: use the next value of a previous page", property: "from",
                    description: "Optional Id from which to start selection.")
            }
            before = number
        }
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        let page = try service.revisions(id: id, before: before, take: take)
        var body: JSONObject = ["revisions": .array(page.revisions.map { Self.json($0, connection: nil) })]
        if page.hasMore, let last = page.revisions.last { body["next"] = .string(Self.encodeCursor(last.number)) }
        exchange.send(.ok, .object(body))
    }

    func get(_ exchange: Exchange, id: String, number: String) throws {
        try exchange.require(.readConnections)
        try exchange.query.requireOnly([])
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        let revision = try service.revision(id: id, number: Self.number(number))
        var connection: JSONValue = .null
        if let entry = revision.connection {
            var body: [UInt8] = []
            entry.render(
                into: &body, includeOptions: exchange.canReadOptions, includeEnabledClients: service.legacyEnabledClients)
            connection = (try? JSONParser.parse(body)) ?? .null
        }
        exchange.send(.ok, Self.json(revision, connection: connection))
    }

    func restore(_ exchange: Exchange, id: String, number: String) throws {
        try exchange.require(.updateConnections)
        try exchange.require(.updateConnectionsOptions)
        try exchange.query.requireOnly(["dry_run"])
        let dryRun = try exchange.query.dryRun()
        // API.md: no body, or `{}`.
        if !exchange.request.body.isEmpty {
            let extra = try RequestBody.object(exchange.request).keys
            if !extra.isEmpty {
                throw APIError.invalidBody(
                    "Payload validation error: 'Additional properties not allowed: \(extra.joined(separator: ","))'.")
            }
        }
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        // Bringing a deleted connection back creates it.
        if try service.isDeleted(id: id) { try exchange.require(.createConnections) }
        let ifMatch = try EntityTags.ifMatch(exchange.request.headers)
        let number = Self.number(number)
        if dryRun {
            exchange.send(.ok, try service.restoreDryRun(id: id, revision: number, ifMatch: ifMatch).json)
            return
        }
        service.restore(id: id, revision: number, by: exchange.actor, ifMatch: ifMatch) { result in
            exchange.finish(
                result.map { ConnectionsHandler.response(.ok, $0.entry, exchange, legacyEnabledClients: service.legacyEnabledClients) })
        }
    }

    /// The revision number in a path; anything that is not one names no revision (404).
    private static func number(_ text: String) -> Int {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return 0 }
        return Int(text) ?? 0
    }

    private static func json(_ revision: Revision, connection: JSONValue?) -> JSONValue {
        var object: JSONObject = [
            "revision": .int(revision.number),
            "created_at": .string(UTCTimestamp.format(millisecondsSinceEpoch: revision.createdAt)),
            "operation": .string(revision.operation),
        ]
        switch revision.actor {
        case .admin: object["actor"] = .object(["type": .string("admin")])
        case .client(let id): object["actor"] = .object(["type": .string("client"), "client_id": .string(id)])
        }
        if let restoredFrom = revision.restoredFrom { object["restored_from"] = .int(restoredFrom) }
        if let connection { object["connection"] = connection }
        return .object(object)
    }

    /// The `next`/`from` checkpoint: the number of the last revision returned (paging resumes
    /// strictly below it, so appends and prunes never make it skip or repeat one).
    static func encodeCursor(_ number: Int) -> String {
        Base64URL.encode(Array("r\(number)".utf8))
    }

    static func decodeCursor(_ text: String) -> Int? {
        guard text.utf8.count <= 64, let bytes = Base64URL.decode(text), bytes.first == UInt8(ascii: "r") else { return nil }
        let digits = bytes.dropFirst()
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }
}
