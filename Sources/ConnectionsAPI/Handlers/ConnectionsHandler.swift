import ConnectionsStore
import Validation

/// `/api/v2/connections` and `/api/v2/connections/{id}`: list, read, create, update, delete.
///
/// Reads are answered from the catalog's pre-rendered bytes. Writes are judged on the
/// event loop, then committed by the store's writer thread (group commit); the catalog is
/// updated and the client answered only after the commit is durable.
///
/// Stored connections always keep their `enabled_clients` (the set `/clients` manages);
/// responses show it only with `serve --legacy-enabled-clients` (API.md).
struct ConnectionsHandler: Sendable {
    let state: ServiceState

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
        let selection = state.catalog.select(
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
        guard fields != nil else {
            let body = entry.rendered(includeOptions: exchange.canReadOptions, includeEnabledClients: state.legacyEnabledClients)
            exchange.send(.json(.ok, body: body))
            return
        }
        var body: [UInt8] = []
        append(entry, to: &body, exchange: exchange, fields: fields)
        exchange.send(.json(.ok, body: body))
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
                into: &body, includeOptions: exchange.canReadOptions, includeEnabledClients: state.legacyEnabledClients)
            return
        }
        var object = fields.project(entry.object())
        if !exchange.canReadOptions { object["options"] = nil }
        if !state.legacyEnabledClients { object["enabled_clients"] = nil }
        body.append(contentsOf: JSONWriter.encode(.object(object)))
    }

    // MARK: - Writes

    func create(_ exchange: Exchange) throws {
        try exchange.require(.createConnections)
        try exchange.query.requireOnly(Self.writeParameters)
        let dryRun = try exchange.query.dryRun()
        let body = try RequestBody.object(exchange.request)
        let judgement = ConnectionJudge.judgeCreate(.object(body), tenant: state.tenant)
        let id = ConnectionID.generate()
        let stored = judgement.connection.map { Self.withID(id, $0) }

        if dryRun {
            if let name = body["name"]?.stringValue,
                state.catalog.select(
                    filter: .init(name: name), after: nil, offset: 0, limit: 1, countTotal: false
                ).entries.first != nil
            {
                throw APIError.nameConflict
            }
            exchange.send(.ok, dryRunBody(judgement, connection: judgement.isValid ? stored : nil))
            return
        }
        guard judgement.isValid, let stored else { throw APIError.rejected(judgement) }

        let entry = CatalogEntry(connection: stored)
        let record = entry.record
        state.commit(exchange) { transaction in
            try transaction.insertConnection(record)
            return entry
        } answer: { entry in
            response(.created, entry, exchange)
        }
    }

    func update(_ exchange: Exchange, id: String) throws {
        try exchange.require(.updateConnections)
        try exchange.query.requireOnly(Self.writeParameters)
        let dryRun = try exchange.query.dryRun()
        // API.md: a body that is not a JSON object is `Invalid request payload JSON format`.
        let body = JSONValue.object(try RequestBody.object(exchange.request))
        if body["options"] != nil {
            // API.md: a PATCH carrying options also needs update:connections_options.
            guard exchange.principal.scopes.contains(.updateConnectionsOptions) else {
                throw APIError.insufficientScope(["update:connections_options"])
            }
        }
        let entry = try existingEntry(id)
        let tenant = state.tenant
        let judgement = ConnectionJudge.judgeUpdate(body, stored: entry.object(), tenant: tenant)
        if dryRun {
            exchange.send(.ok, dryRunBody(judgement, connection: judgement.isValid ? judgement.connection : nil))
            return
        }
        guard judgement.isValid, let updated = judgement.connection else { throw APIError.rejected(judgement) }

        let judgedEntry = CatalogEntry(connection: updated)
        state.commit(exchange) { transaction in
            guard let current = try transaction.connection(id: id) else { throw APIError.connectionNotFound }
            var newEntry = judgedEntry
            // Another write to this connection committed (or is earlier in this batch) since
            // it was judged: judge again against what is really stored, so concurrent
            // PATCHes serialise instead of overwriting each other with stale merges.
            if !current.body.utf8.elementsEqual(entry.storedBytes) {
                guard let stored = (try? JSONParser.parse(current.body))?.objectValue else { throw APIError.internalError }
                let again = ConnectionJudge.judgeUpdate(body, stored: stored, tenant: tenant)
                guard again.isValid, let connection = again.connection else { throw APIError.rejected(again) }
                newEntry = CatalogEntry(connection: connection)
            }
            guard try transaction.updateConnection(newEntry.record) else { throw APIError.connectionNotFound }
            return newEntry
        } answer: { entry in
            response(.ok, entry, exchange)
        }
    }

    func delete(_ exchange: Exchange, id: String) throws {
        try exchange.require(.deleteConnections)
        try exchange.query.requireOnly([])
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        // A well-formed id that is not stored answers 204 (API.md). The catalog holds every
        // acknowledged connection, and ids are only known after their create is acknowledged.
        guard state.catalog.entry(id: id) != nil else {
            exchange.send(.noContent)
            return
        }
        let catalog = state.catalog
        state.store.write { transaction in
            try transaction.deleteConnection(id: id)
        } completion: { result in
            exchange.finish(
                result.map { deleted in
                    guard deleted else { return .noContent }
                    catalog.remove(id: id)
                    return .json(.accepted, .object(["deleted_at": .string(UTCTimestamp.now())]))
                })
        }
    }

    // MARK: - Helpers

    private func existingEntry(_ id: String) throws -> CatalogEntry {
        guard ConnectionID.isWellFormed(id) else { throw APIError.invalidConnectionID(id) }
        guard let entry = state.catalog.entry(id: id) else { throw APIError.connectionNotFound }
        return entry
    }

    /// The stored connection as the answer to a write.
    private func response(_ status: HTTPStatus, _ entry: CatalogEntry, _ exchange: Exchange) -> HTTPResponse {
        let body = entry.rendered(includeOptions: exchange.canReadOptions, includeEnabledClients: state.legacyEnabledClients)
        return .json(status, body: body)
    }

    static func withID(_ id: String, _ connection: JSONObject) -> JSONObject {
        var members = [JSONObject.Member(key: "id", value: .string(id))]
        members.append(contentsOf: connection.members.filter { $0.key != "id" })
        return JSONObject(members: members)
    }

    /// A dry run's answer; its `connection` shows `enabled_clients` as a real response would.
    private func dryRunBody(_ judgement: Judgement, connection: JSONObject?) -> JSONValue {
        var shown = connection
        if !state.legacyEnabledClients { shown?["enabled_clients"] = nil }
        return .object([
            "valid": .bool(judgement.isValid),
            "violations": .array(judgement.violations.map(\.json)),
            "connection": shown.map { .object($0) } ?? .null,
        ])
    }
}
