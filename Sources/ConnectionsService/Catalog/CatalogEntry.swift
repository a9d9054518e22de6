import ConnectionsStore
import JSON

/// One stored connection as the API serves it: the rendered JSON body, rendered once per
/// write, plus the byte ranges of the members some responses leave out. Reads splice these
/// bytes instead of re-encoding (issue 5: encoding, not HTTP or SQLite, bounds throughput).
///
/// `body` is what a tenant created today sees: the stored connection without its
/// `enabled_clients` member (API.md), so the default GET answers these bytes as they are.
/// The member goes back in, from `enabledClients`, for the store's row and for a legacy
/// tenant's responses.
public final class CatalogEntry: Sendable {
    public let id: String
    public let name: String
    /// API.md: lists are ordered by name, case-insensitive, then id.
    public let sortKey: CatalogSortKey
    public let strategy: String
    /// The single-connection body without `enabled_clients`, `id` first.
    public let body: [UInt8]
    /// `,"options":{…}` in `body`, including its leading comma; skipped without
    /// `read:connections_options`.
    public let optionsRange: Range<Int>?
    /// Where the stored `,"enabled_clients":[…]` member stands (an offset into `body`);
    /// `nil` when the stored connection has none.
    public let enabledClientsOffset: Int?
    /// Sorted client ids: `GET /connections/{id}/clients`, and the member's value.
    public let enabledClients: [String]
    /// The number of the connection's newest revision.
    public let revision: Int
    /// The `ETag` field value, `"<revision>"`, made once per write rather than per GET.
    public let etag: String
    /// `,"enabled_clients":[…]` rendered once (reads on a legacy tenant put it back on every
    /// GET); connections without clients share one copy.
    private let enabledClientsMember: [UInt8]

    private init(
        body: [UInt8], id: String, name: String, strategy: String, optionsRange: Range<Int>?,
        enabledClientsOffset: Int?, enabledClients: [String], revision: Int, enabledClientsMember: [UInt8]? = nil
    ) {
        self.id = id
        self.name = name
        self.sortKey = CatalogSortKey(name: name, id: id)
        self.strategy = strategy
        self.body = body
        self.optionsRange = optionsRange
        self.enabledClientsOffset = enabledClientsOffset
        self.enabledClients = enabledClients.sorted()
        self.enabledClientsMember = enabledClientsMember ?? Self.member(self.enabledClients)
        self.revision = revision
        self.etag = "\"" + String(revision) + "\""
    }

    private static let emptyMember = Array(#","enabled_clients":[]"#.utf8)

    private static func member(_ clients: [String]) -> [UInt8] {
        if clients.isEmpty { return emptyMember }
        var writer = JSONWriter(reservingCapacity: 24 + clients.count * 36)
        writer.writeRaw(UInt8(ascii: ","))
        writer.writeString("enabled_clients")
        writer.writeRaw(UInt8(ascii: ":"))
        writer.write(.array(clients.map { .string($0) }))
        return writer.bytes
    }

    /// Renders `connection` (which must start with `id`) into an entry at `revision`.
    public convenience init(connection: JSONObject, revision: Int) {
        var writer = JSONWriter(reservingCapacity: 2048)
        var optionsRange: Range<Int>?
        var enabledClientsOffset: Int?
        writer.writeRaw(UInt8(ascii: "{"))
        for (offset, member) in connection.members.enumerated() {
            let start = writer.count
            // `id` is always first, so the members below always own a leading comma.
            if offset > 0 && member.key == "enabled_clients" {
                enabledClientsOffset = start
                continue
            }
            if offset > 0 { writer.writeRaw(UInt8(ascii: ",")) }
            writer.writeString(member.key)
            writer.writeRaw(UInt8(ascii: ":"))
            writer.write(member.value)
            if offset > 0 && member.key == "options" { optionsRange = start..<writer.count }
        }
        writer.writeRaw(UInt8(ascii: "}"))
        // `bytes` is an exact-size copy: every stored connection keeps its body for life
        // (issue 5's RSS budget with 10,000 stored).
        let body = writer.bytes
        self.init(
            body: body, id: connection["id"]?.stringValue ?? "", name: connection["name"]?.stringValue ?? "",
            strategy: connection["strategy"]?.stringValue ?? "", optionsRange: optionsRange,
            enabledClientsOffset: enabledClientsOffset,
            enabledClients: (connection["enabled_clients"]?.arrayValue ?? []).compactMap(\.stringValue), revision: revision)
    }

    /// Adopts a row this service rendered and stored, finding the body's members with a scan
    /// instead of a parse and a render (start-up loads every stored connection this way).
    /// `id`, `name` and `strategy` come from the row's columns, checked byte for byte against
    /// the body's members. `nil` when the body does not have the shape `init(connection:)`
    /// writes, or disagrees with the columns: the caller then renders the body anew.
    public convenience init?(stored record: ConnectionRecord) {
        var text = record.body
        let parts = text.withUTF8 { bytes in
            Adopted(ConnectionRow(id: record.id, name: record.name, strategy: record.strategy, body: bytes, revision: record.revision))
        }
        guard let parts else { return nil }
        self.init(parts)
    }

    /// The same from a row whose body is still in the store's buffer (start-up's load): scanned
    /// in place, the body without `enabled_clients` is the only copy made.
    public convenience init?(row: ConnectionRow) {
        guard let parts = Adopted(row) else { return nil }
        self.init(parts)
    }

    private convenience init(_ parts: Adopted) {
        self.init(
            body: parts.body, id: parts.row.id, name: parts.row.name, strategy: parts.row.strategy,
            optionsRange: parts.optionsRange, enabledClientsOffset: parts.enabledClientsOffset,
            enabledClients: parts.enabledClients, revision: parts.row.revision, enabledClientsMember: parts.enabledClientsMember)
    }

    /// What `init(stored:)` takes from a row's bytes.
    private struct Adopted {
        /// The columns (its `body` is only valid while the row is read).
        let row: ConnectionRow
        var body: [UInt8]
        var optionsRange: Range<Int>?
        var enabledClientsOffset: Int?
        var enabledClients: [String] = []
        /// The stored member's bytes, when they already list the clients sorted.
        var enabledClientsMember: [UInt8]?

        init?(_ row: ConnectionRow) {
            self.row = row
            let record = row
            let bytes = row.body
            guard let members = JSONMemberScanner.members(of: bytes), members.first?.key == "id" else { return nil }
            func member(_ key: String) -> JSONMemberScanner.Member? { members.first { $0.key == key } }
            func holds(_ key: String, _ text: String) -> Bool {
                guard let member = member(key) else { return false }
                let value = member.value
                var text = text
                // Byte by byte over both buffers (the generic `elementsEqual` over a slice and a
                // UTF-8 view cost ~1,800 instructions a row at start-up).
                return text.withUTF8 { utf8 in
                    guard value.count == utf8.count + 2, bytes[value.lowerBound] == UInt8(ascii: "\""),
                        bytes[value.upperBound - 1] == UInt8(ascii: "\"")
                    else { return false }
                    for index in 0..<utf8.count where bytes[value.lowerBound + 1 + index] != utf8[index] { return false }
                    return true
                }
            }
            guard holds("id", record.id), holds("name", record.name), holds("strategy", record.strategy) else { return nil }
            optionsRange = member("options")?.range
            guard let clients = member("enabled_clients") else {
                body = Array(bytes)
                return
            }
            guard let values = (try? JSONParser.parse(Array(bytes[clients.value])))?.arrayValue else { return nil }
            enabledClients = values.compactMap(\.stringValue)
            if enabledClients.count == values.count && enabledClients == enabledClients.sorted() {
                enabledClientsMember = Array(bytes[clients.range])
            }
            // The body without the member, exact-size; ranges past it move back by its length.
            let cut = clients.range
            body = []
            body.reserveCapacity(bytes.count - cut.count)
            body.append(contentsOf: bytes[..<cut.lowerBound])
            body.append(contentsOf: bytes[cut.upperBound...])
            enabledClientsOffset = cut.lowerBound
            if let options = optionsRange, options.lowerBound >= cut.upperBound {
                optionsRange = (options.lowerBound - cut.count)..<(options.upperBound - cut.count)
            }
        }
    }

    /// The whole stored connection, `enabled_clients` included.
    public var storedBytes: [UInt8] {
        rendered(includeOptions: true, includeEnabledClients: true)
    }

    /// The row the store keeps for this entry.
    public var record: ConnectionRecord {
        ConnectionRecord(
            id: id, name: name, strategy: strategy, body: String(decoding: storedBytes, as: UTF8.self), revision: revision)
    }

    /// The stored connection as a value (PATCH merges, `fields` projections).
    public func object() -> JSONObject {
        // The bytes were produced by JSONWriter from a valid value: they always parse.
        (try? JSONParser.parse(storedBytes))?.objectValue ?? JSONObject()
    }

    /// The body without the members the caller may not see: `body` itself (no copy) for a
    /// tenant created today with `read:connections_options`.
    public func rendered(includeOptions: Bool, includeEnabledClients: Bool) -> [UInt8] {
        if (includeOptions || optionsRange == nil) && (!includeEnabledClients || enabledClientsOffset == nil) { return body }
        var output: [UInt8] = []
        output.reserveCapacity(body.count + (includeEnabledClients ? enabledClientsMember.count : 0))
        render(into: &output, includeOptions: includeOptions, includeEnabledClients: includeEnabledClients)
        return output
    }

    /// Appends the body to `output`, without `options` unless `includeOptions`, and with the
    /// `enabled_clients` member put back when `includeEnabledClients`. Runs for every
    /// connection of every read (a list page renders 50), so a tenant created today pays one
    /// or two appends and nothing else.
    public func render(into output: inout [UInt8], includeOptions: Bool, includeEnabledClients: Bool) {
        let skipped = includeOptions ? nil : optionsRange
        var insertion = includeEnabledClients ? enabledClientsOffset : nil
        var cursor = 0
        if let skipped {
            // Canonical bodies have options first; a stored body of another shape may not.
            if let offset = insertion, offset <= skipped.lowerBound {
                output.append(contentsOf: body[cursor..<offset])
                output.append(contentsOf: enabledClientsMember)
                cursor = offset
                insertion = nil
            }
            output.append(contentsOf: body[cursor..<skipped.lowerBound])
            cursor = skipped.upperBound
        }
        if let offset = insertion {
            output.append(contentsOf: body[cursor..<offset])
            output.append(contentsOf: enabledClientsMember)
            cursor = offset
        }
        output.append(contentsOf: body[cursor...])
    }
}
