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

    /// Renders `connection` (which must start with `id`) into an entry.
    init(connection: JSONObject) {
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
        self.id = connection["id"]?.stringValue ?? ""
        self.name = connection["name"]?.stringValue ?? ""
        self.sortKey = CatalogSortKey(name: name, id: id)
        self.strategy = connection["strategy"]?.stringValue ?? ""
        // An exact-size copy: the writer's buffer is over-reserved, and every stored
        // connection keeps its body for life (issue 5's RSS budget with 10,000 stored).
        let rendered = writer.bytes
        self.body = [UInt8](unsafeUninitializedCapacity: rendered.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: rendered)
        }
        self.optionsRange = optionsRange
        self.enabledClientsRange = enabledClientsRange
        self.enabledClients = (connection["enabled_clients"]?.arrayValue ?? []).compactMap(\.stringValue).sorted()
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
