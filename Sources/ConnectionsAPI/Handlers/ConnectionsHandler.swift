import ConnectionsService
import HTTP
import HTTPTransport
import JSON

/// `/api/v2/connections` and `/api/v2/connections/{id}`: list, read, create, update, delete.
///
/// Reads are answered from the catalog's pre-rendered bytes. Writes are jobs of the
/// connection service, which answers once the write is durable and the catalog updated.
///
/// Stored connections always keep their `enabled_clients` (the set `/clients` manages);
/// responses show it only with `serve --legacy-enabled-clients` (API.md).
struct ConnectionsHandler: Sendable {
    let service: ConnectionsService

    private static let listParameters: Set<String> = [
        "per_page", "page", "include_totals", "from", "take", "strategy", "name", "fields", "include_fields",
    ]

    private static let getParameters: Set<String> = ["fields", "include_fields"]
    private static let writeParameters: Set<String> = ["dry_run"]

    // MARK: - Reads

    func list(_ exchange: Exchange) throws {
        try exchange.require(.readConnections)
        let query = exchange.query
        try query.requireOnly(Self.listParameters)
        let request = try ListRequest(query: query)
        let fields = try FieldSelection(query: query)
        let selection = service.catalog.select(
            filter: request.filter, after: request.after, offset: request.offset, limit: request.limit,
            countTotal: request.shape == .totals)

        var body: [UInt8] = []
        body.reserveCapacity(selection.entries.reduce(64) { $0 + $1.body.count })
        switch request.shape {
        case .array:
            appendItems(selection.entries, to: &body, exchange: exchange, fields: fields)
        case .totals:
            body.append(
                contentsOf: #"{"start":\#(request.offset),"limit":\#(request.limit),"total":\#(selection.total),"connections":"#.utf8)
            appendItems(selection.entries, to: &body, exchange: exchange, fields: fields)
            body.append(UInt8(ascii: "}"))
        case .checkpoint:
            body.append(contentsOf: #"{"connections":"#.utf8)
            appendItems(selection.entries, to: &body, exchange: exchange, fields: fields)
            if selection.hasMore, let last = selection.entries.last {
                body.append(contentsOf: #","next":"#.utf8)
                var writer = JSONWriter(reservingCapacity: 64)
                writer.writeString(ListCursor.encode(last.sortKey))
                body.append(contentsOf: writer.bytes)
            }
            body.append(UInt8(ascii: "}"))
        }
        exchange.send(.json(.ok, body: body))
    }

    func get(_ exchange: Exchange, id: String) throws {
        try exchange.require(.readConnections)
        try exchange.query.requireOnly(Self.getParameters)
        let entry = try existingEntry(id)
        let fields = try FieldSelection(query: exchange.query)
        let etag = EntityTags.header(entry)
        if try EntityTags.noneMatchHolds(exchange.request.headers, revision: entry.revision) {
            exchange.send(HTTPResponse(status: .notModified, headers: HTTPHeaders([etag])))
            return
        }
        guard fields != nil else {
            let body = entry.rendered(includeOptions: exchange.canReadOptions, includeEnabledClients: service.legacyEnabledClients)
            exchange.send(.json(.ok, body: body, header: etag))
            return
        }
        var body: [UInt8] = []
        append(entry, to: &body, exchange: exchange, fields: fields)
        exchange.send(.json(.ok, body: body, header: etag))
    }

    private func appendItems(_ entries: [CatalogEntry], to body: inout [UInt8], exchange: Exchange, fields: FieldSelection?) {
        body.append(UInt8(ascii: "["))
        for (offset, entry) in entries.enumerated() {
            if offset > 0 { body.append(UInt8(ascii: ",")) }
            append(entry, to: &body, exchange: exchange, fields: fields)
        }
        body.append(UInt8(ascii: "]"))
    }

    /// One connection as this caller may see it: `options` only with
    /// `read:connections_options`, `enabled_clients` only on a legacy tenant (list items
    /// included, as Auth0 answered them), then the `fields` projection.
    private func append(_ entry: CatalogEntry, to body: inout [UInt8], exchange: Exchange, fields: FieldSelection?) {
        guard let fields else {
            entry.render(
                into: &body, includeOptions: exchange.canReadOptions, includeEnabledClients: service.legacyEnabledClients)
            return
        }
        var object = fields.project(entry.object())
        if !exchange.canReadOptions { object["options"] = nil }
        if !service.legacyEnabledClients { object["enabled_clients"] = nil }
        body.append(contentsOf: JSONWriter.encode(.object(object)))
    }

    // MARK: - Writes

    func create(_ exchange: Exchange) throws {
        try exchange.require(.createConnections)
        try exchange.query.requireOnly(Self.writeParameters)
        let dryRun = try exchange.query.dryRun()
        let body = try RequestBody.object(exchange.request)
        if dryRun {
            exchange.send(.ok, try service.createDryRun(body).json)
            return
        }
        service.create(body, by: exchange.actor) { result in
            exchange.finish(result.map { response(.created, $0, exchange) })
        }
    }

    func update(_ exchange: Exchange, id: String) throws {
        try exchange.require(.updateConnections)
        try exchange.query.requireOnly(Self.writeParameters)
        let dryRun = try exchange.query.dryRun()
        // API.md: a body that is not a JSON object is `Invalid request payload JSON format`.
        let body = try RequestBody.object(exchange.request)
        if body["options"] != nil {
            // API.md: a PATCH carrying options also needs update:connections_options.
            guard exchange.principal.scopes.contains(.updateConnectionsOptions) else {
                throw APIError.insufficientScope(["update:connections_options"])
            }
        }
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        let ifMatch = try EntityTags.ifMatch(exchange.request.headers)
        if dryRun {
            exchange.send(.ok, try service.updateDryRun(id: id, body: body, ifMatch: ifMatch).json)
            return
        }
        service.update(id: id, body: body, by: exchange.actor, ifMatch: ifMatch) { result in
            exchange.finish(result.map { response(.ok, $0.entry, exchange) })
        }
    }

    func delete(_ exchange: Exchange, id: String) throws {
        try exchange.require(.deleteConnections)
        try exchange.query.requireOnly([])
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        let ifMatch = try EntityTags.ifMatch(exchange.request.headers)
        // A well-formed id that is not stored answers 204 (API.md).
        service.delete(id: id, by: exchange.actor, ifMatch: ifMatch) { result in
            exchange.finish(
                result.map { deleted in
                    deleted ? .json(.accepted, .object(["deleted_at": .string(UTCTimestamp.now())])) : .noContent
                })
        }
    }

    // MARK: - Helpers

    private func existingEntry(_ id: String) throws -> CatalogEntry {
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        guard let entry = try service.connection(id: id) else { throw APIError.connectionNotFound }
        return entry
    }

    /// One connection as a write's answer, with its `ETag`.
    static func response(_ status: HTTPStatus, _ entry: CatalogEntry, _ exchange: Exchange, legacyEnabledClients: Bool) -> HTTPResponse {
        let body = entry.rendered(includeOptions: exchange.canReadOptions, includeEnabledClients: legacyEnabledClients)
        return .json(status, body: body, header: EntityTags.header(entry))
    }

    private func response(_ status: HTTPStatus, _ entry: CatalogEntry, _ exchange: Exchange) -> HTTPResponse {
        Self.response(status, entry, exchange, legacyEnabledClients: service.legacyEnabledClients)
    }
}
