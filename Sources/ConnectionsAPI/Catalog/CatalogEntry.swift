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
    /// `,"enabled_clients":[…]`; left out of responses unless the tenant is legacy (API.md).
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
        writer.writeRaw(UInt8(ascii: "{"))
        for (offset, member) in connection.members.enumerated() {
            let start = writer.count
            if offset > 0 { writer.writeRaw(UInt8(ascii: ",")) }
            writer.writeString(member.key)
            writer.writeRaw(UInt8(ascii: ":"))
            writer.write(member.value)
            // `id` is always first, so the ranges below always own a leading comma.
            if offset > 0 && member.key == "options" { optionsRange = start..<writer.count }
            if offset > 0 && member.key == "enabled_clients" { enabledClientsRange = start..<writer.count }
        }
        writer.writeRaw(UInt8(ascii: "}"))
        // `bytes` is an exact-size copy: every stored connection keeps its body for life
        // (issue 5's RSS budget with 10,000 stored).
        let body = writer.bytes
        self.init(
            body: body, id: connection["id"]?.stringValue ?? "", name: connection["name"]?.stringValue ?? "",
            strategy: connection["strategy"]?.stringValue ?? "", optionsRange: optionsRange,
            enabledClientsRange: enabledClientsRange,
            enabledClients: (connection["enabled_clients"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// Adopts a row this service rendered and stored, finding the body's members with a scan
    /// instead of a parse and a render (start-up loads every stored connection this way).
    /// `id`, `name` and `strategy` come from the row's columns, checked byte for byte against
    /// the body's members. `nil` when the body does not have the shape `init(connection:)`
    /// writes, or disagrees with the columns: the caller then renders the body anew.
    convenience init?(stored record: ConnectionRecord) {
        let body = Array(record.body.utf8)
        guard let members = JSONMemberScanner.members(of: body), members.first?.key == "id" else { return nil }
        func member(_ key: String) -> JSONMemberScanner.Member? { members.first { $0.key == key } }
        func holds(_ key: String, _ text: String) -> Bool {
            guard let member = member(key) else { return false }
            let value = body[member.value]
            return value.count == text.utf8.count + 2 && value.first == UInt8(ascii: "\"")
                && value.dropFirst().prefix(text.utf8.count).elementsEqual(text.utf8) && value.last == UInt8(ascii: "\"")
        }
        guard holds("id", record.id), holds("name", record.name), holds("strategy", record.strategy) else { return nil }
        var enabledClients: [String] = []
        if let member = member("enabled_clients") {
            guard let clients = (try? JSONParser.parse(Array(body[member.value])))?.arrayValue else { return nil }
            enabledClients = clients.compactMap(\.stringValue)
        }
        self.init(
            body: body, id: record.id, name: record.name, strategy: record.strategy,
            optionsRange: member("options")?.range, enabledClientsRange: member("enabled_clients")?.range,
            enabledClients: enabledClients)
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

    /// The body without the members the caller may not see: the stored bytes themselves (no
    /// copy) when nothing is left out.
    func rendered(includeOptions: Bool, includeEnabledClients: Bool) -> [UInt8] {
        if (includeOptions || optionsRange == nil) && (includeEnabledClients || enabledClientsRange == nil) { return body }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        render(into: &output, includeOptions: includeOptions, includeEnabledClients: includeEnabledClients)
        return output
    }

    /// Appends the body to `output`, leaving out the members the caller may not see. Runs for
    /// every connection of every read (a list page renders 50), so it allocates nothing beyond
    /// `output`'s growth: the two skipped ranges stay in a tuple, in body order.
    func render(into output: inout [UInt8], includeOptions: Bool, includeEnabledClients: Bool) {
        var skipped = (includeOptions ? nil : optionsRange, includeEnabledClients ? nil : enabledClientsRange)
        // Canonical bodies have options first; a stored body of another shape may not.
        if let options = skipped.0, let clients = skipped.1, clients.lowerBound < options.lowerBound {
            skipped = (clients, options)
        }
        var cursor = 0
        func copy(upTo range: Range<Int>?) {
            guard let range else { return }
            output.append(contentsOf: body[cursor..<range.lowerBound])
            cursor = range.upperBound
        }
        copy(upTo: skipped.0)
        copy(upTo: skipped.1)
        output.append(contentsOf: body[cursor...])
    }
}
