import ConnectionsStore
import Validation

/// One stored connection as the API serves it: the rendered JSON body, rendered once per
/// write, plus the byte ranges of the members some responses leave out. Reads splice these
/// bytes instead of re-encoding (issue 5: encoding, not HTTP or SQLite, bounds throughput).
final class CatalogEntry: Sendable {
    let id: String
    let name: String
    /// API.md: lists are ordered by name, case-insensitive, then id.
    let sortKey: CatalogSortKey
    let strategy: String
    /// The full single-connection body, `id` first.
    let body: [UInt8]
    /// `,"options":{…}` including its leading comma; skipped without `read:connections_options`.
    let optionsRange: Range<Int>?
    /// `,"enabled_clients":[…]`; list items leave it out (the OAS `ConnectionForList`).
    let enabledClientsRange: Range<Int>?
    /// Sorted client ids, for `GET /connections/{id}/clients`.
    let enabledClients: [String]

    private init(
        body: [UInt8], id: String, name: String, strategy: String, optionsRange: Range<Int>?,
        enabledClientsRange: Range<Int>?, enabledClients: [String]
    ) {
        self.id = id
        self.name = name
        self.sortKey = CatalogSortKey(name: name, id: id)
        self.strategy = strategy
        self.body = body
        self.optionsRange = optionsRange
        self.enabledClientsRange = enabledClientsRange
        self.enabledClients = enabledClients.sorted()
    }

    /// Renders `connection` (which must start with `id`) into an entry.
    convenience init(connection: JSONObject) {
        var writer = JSONWriter(reservingCapacity: 2048)
        var optionsRange: Range<Int>?
        var enabledClientsRange: Range<Int>?
        writer.writeRaw(CollectionOfOne(UInt8(ascii: "{")))
        for (offset, member) in connection.members.enumerated() {
            let start = writer.bytes.count
            if offset > 0 { writer.writeRaw(CollectionOfOne(UInt8(ascii: ","))) }
            writer.writeString(member.key)
            writer.writeRaw(CollectionOfOne(UInt8(ascii: ":")))
            writer.write(member.value)
            // `id` is always first, so the ranges below always own a leading comma.
            if offset > 0 && member.key == "options" { optionsRange = start..<writer.bytes.count }
            if offset > 0 && member.key == "enabled_clients" { enabledClientsRange = start..<writer.bytes.count }
        }
        writer.writeRaw(CollectionOfOne(UInt8(ascii: "}")))
        // An exact-size copy: the writer's buffer is over-reserved, and every stored
        // connection keeps its body for life (issue 5's RSS budget with 10,000 stored).
        let rendered = writer.bytes
        let body = [UInt8](unsafeUninitializedCapacity: rendered.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: rendered)
        }
        self.init(
            body: body, id: connection["id"]?.stringValue ?? "", name: connection["name"]?.stringValue ?? "",
            strategy: connection["strategy"]?.stringValue ?? "", optionsRange: optionsRange,
            enabledClientsRange: enabledClientsRange,
            enabledClients: (connection["enabled_clients"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// Adopts a body this service rendered and stored, finding its members with a scan
    /// instead of a parse and a render (start-up loads every stored connection this way).
    /// `nil` when the bytes do not have the shape `init(connection:)` writes.
    convenience init?(stored body: [UInt8]) {
        guard let members = JSONMemberScanner.members(of: body), members.first?.key == "id" else { return nil }
        func value(_ key: String) -> JSONValue? {
            guard let member = members.first(where: { $0.key == key }) else { return nil }
            return try? JSONParser.parse(Array(body[member.value]))
        }
        guard let id = value("id")?.stringValue, let name = value("name")?.stringValue,
            let strategy = value("strategy")?.stringValue
        else { return nil }
        self.init(
            body: body, id: id, name: name, strategy: strategy,
            optionsRange: members.dropFirst().first { $0.key == "options" }?.range,
            enabledClientsRange: members.dropFirst().first { $0.key == "enabled_clients" }?.range,
            enabledClients: (value("enabled_clients")?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// The row the store keeps for this entry.
    var record: ConnectionRecord {
        ConnectionRecord(id: id, name: name, strategy: strategy, body: String(decoding: body, as: UTF8.self))
    }

    /// The stored connection as a value (PATCH merges, `fields` projections).
    func object() -> JSONObject {
        // The body was produced by JSONWriter from a valid value: it always parses.
        (try? JSONParser.parse(body))?.objectValue ?? JSONObject()
    }

    /// Appends the body to `output`, leaving out the members the caller may not see.
    func render(into output: inout [UInt8], includeOptions: Bool, includeEnabledClients: Bool) {
        var skipped: [Range<Int>] = []
        if !includeOptions, let optionsRange { skipped.append(optionsRange) }
        if !includeEnabledClients, let enabledClientsRange { skipped.append(enabledClientsRange) }
        if skipped.isEmpty {
            output.append(contentsOf: body)
            return
        }
        skipped.sort { $0.lowerBound < $1.lowerBound }
        var cursor = 0
        for range in skipped {
            output.append(contentsOf: body[cursor..<range.lowerBound])
            cursor = range.upperBound
        }
        output.append(contentsOf: body[cursor...])
    }
}
