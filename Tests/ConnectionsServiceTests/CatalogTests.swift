import ConnectionsStore
import JSON
import Testing
import Validation

@testable import ConnectionsService

@Suite struct CatalogTests {
    private func entry(_ id: String, _ name: String, strategy: String = "auth0", clients: [String] = []) -> CatalogEntry {
        CatalogEntry(
            connection: [
                "id": .string(id), "name": .string(name), "strategy": .string(strategy),
                "options": .object(["secret": .string("s")]),
                "enabled_clients": .array(clients.map { .string($0) }),
                "is_domain_connection": .bool(false),
            ], revision: 1)
    }

    @Test func rendersVariantsBySkippingMembers() throws {
        let item = entry("con_1", "A", clients: ["c2", "c1"])
        // The stored row keeps the sorted set in place; `body` is the default-mode answer.
        #expect(
            item.record.body
                == #"{"id":"con_1","name":"A","strategy":"auth0","options":{"secret":"s"},"enabled_clients":["c1","c2"],"is_domain_connection":false}"#
        )
        #expect(
            String(decoding: item.body, as: UTF8.self)
                == #"{"id":"con_1","name":"A","strategy":"auth0","options":{"secret":"s"},"is_domain_connection":false}"#)
        #expect(item.rendered(includeOptions: true, includeEnabledClients: false) == item.body)
        var noOptions: [UInt8] = []
        item.render(into: &noOptions, includeOptions: false, includeEnabledClients: true)
        #expect(
            String(decoding: noOptions, as: UTF8.self)
                == #"{"id":"con_1","name":"A","strategy":"auth0","enabled_clients":["c1","c2"],"is_domain_connection":false}"#)
        var neither: [UInt8] = []
        item.render(into: &neither, includeOptions: false, includeEnabledClients: false)
        #expect(String(decoding: neither, as: UTF8.self) == #"{"id":"con_1","name":"A","strategy":"auth0","is_domain_connection":false}"#)
        #expect(item.enabledClients == ["c1", "c2"])
        #expect(item.object()["enabled_clients"] == .array([.string("c1"), .string("c2")]))
        #expect(item.object()["name"] == .string("A"))
    }

    @Test func putsTheClientsBackWhereverTheBodyHadThem() throws {
        let item = CatalogEntry(
            connection: [
                "id": .string("con_1"), "enabled_clients": .array([.string("c")]), "name": .string("A"),
                "options": .object(["k": .string("v")]), "strategy": .string("auth0"),
            ], revision: 1)
        let full = #"{"id":"con_1","enabled_clients":["c"],"name":"A","options":{"k":"v"},"strategy":"auth0"}"#
        #expect(item.record.body == full)
        var legacyWithoutOptions: [UInt8] = []
        item.render(into: &legacyWithoutOptions, includeOptions: false, includeEnabledClients: true)
        #expect(
            String(decoding: legacyWithoutOptions, as: UTF8.self)
                == #"{"id":"con_1","enabled_clients":["c"],"name":"A","strategy":"auth0"}"#)
        let today = item.rendered(includeOptions: false, includeEnabledClients: false)
        #expect(String(decoding: today, as: UTF8.self) == #"{"id":"con_1","name":"A","strategy":"auth0"}"#)
        // Adopted from the stored row, with the members in this order, the entry is the same.
        let adopted = try #require(CatalogEntry(stored: item.record))
        #expect(adopted.body == item.body && adopted.optionsRange == item.optionsRange)
        #expect(adopted.enabledClientsOffset == item.enabledClientsOffset && adopted.record.body == full)
        // Right after options, too.
        let after = CatalogEntry(
            connection: [
                "id": .string("con_2"), "options": .object([:]), "enabled_clients": .array([]), "name": .string("B"),
            ], revision: 1)
        var shown: [UInt8] = []
        after.render(into: &shown, includeOptions: false, includeEnabledClients: true)
        #expect(String(decoding: shown, as: UTF8.self) == #"{"id":"con_2","enabled_clients":[],"name":"B"}"#)
    }

    @Test func listsInNameOrderCaseInsensitiveThenID() {
        let catalog = ConnectionCatalog(entries: [
            entry("con_3", "beta"), entry("con_2", "Alpha"), entry("con_1", "alpha"), entry("con_4", "Gamma"),
        ])
        let all = catalog.select(filter: .init(), after: nil, offset: 0, limit: 10, countTotal: true)
        #expect(all.entries.map(\.id) == ["con_1", "con_2", "con_3", "con_4"])
        #expect(all.total == 4 && !all.hasMore)
    }

    @Test func offsetPagingCountsTotalsAndFilters() {
        let catalog = ConnectionCatalog(entries: (0..<10).map { entry("con_\($0)", "n\($0)", strategy: $0 % 2 == 0 ? "auth0" : "sms") })
        let page = catalog.select(filter: .init(strategies: ["sms"]), after: nil, offset: 2, limit: 2, countTotal: true)
        #expect(page.entries.map(\.name) == ["n5", "n7"])
        #expect(page.total == 5 && page.hasMore)
        let byName = catalog.select(filter: .init(name: "n4"), after: nil, offset: 0, limit: 50, countTotal: false)
        #expect(byName.entries.map(\.id) == ["con_4"])
    }

    @Test func checkpointPagingIsStableUnderInsertsAndDeletes() {
        let catalog = ConnectionCatalog(entries: (0..<6).map { entry("con_\($0)", "n\($0)") })
        let first = catalog.select(filter: .init(), after: nil, offset: 0, limit: 3, countTotal: false)
        #expect(first.entries.map(\.name) == ["n0", "n1", "n2"] && first.hasMore)
        let cursor = first.entries.last!.sortKey
        // Between pages: delete one already seen and one not yet seen, insert before and after the cursor.
        catalog.remove(id: "con_1")
        catalog.remove(id: "con_4")
        catalog.upsert(entry("con_a", "n0a"))
        catalog.upsert(entry("con_b", "n3a"))
        let second = catalog.select(filter: .init(), after: cursor, offset: 0, limit: 10, countTotal: false)
        #expect(second.entries.map(\.name) == ["n3", "n3a", "n5"])
        #expect(!second.hasMore)
    }

    @Test func upsertReplacesAndKeepsOrder() {
        let catalog = ConnectionCatalog(entries: [entry("con_1", "b"), entry("con_2", "c")])
        catalog.upsert(entry("con_2", "c", clients: ["x"]))
        catalog.upsert(entry("con_3", "a"))
        #expect(catalog.count == 3)
        #expect(catalog.entry(id: "con_2")?.enabledClients == ["x"])
        let all = catalog.select(filter: .init(), after: nil, offset: 0, limit: 10, countTotal: false)
        #expect(all.entries.map(\.id) == ["con_3", "con_1", "con_2"])
    }

    @Test func byNameHonoursStrategyCursorOffsetAndLimitAndFollowsRemovals() {
        let catalog = ConnectionCatalog(entries: [entry("con_1", "a"), entry("con_2", "b", strategy: "sms")])
        func ids(_ filter: ConnectionCatalog.Filter, after: CatalogSortKey? = nil, offset: Int = 0, limit: Int = 50)
            -> ([String], Bool)
        {
            let selection = catalog.select(filter: filter, after: after, offset: offset, limit: limit, countTotal: true)
            return (selection.entries.map(\.id), selection.hasMore)
        }
        #expect(ids(.init(name: "b")) == (["con_2"], false))
        #expect(ids(.init(strategies: ["auth0"], name: "b")) == ([], false))
        #expect(ids(.init(name: "b"), after: CatalogSortKey(name: "b", id: "con_2")) == ([], false))
        #expect(ids(.init(name: "b"), after: CatalogSortKey(name: "a", id: "con_1")) == (["con_2"], false))
        #expect(ids(.init(name: "b"), offset: 1) == ([], false))
        #expect(ids(.init(name: "b"), limit: 0) == ([], true))
        #expect(ids(.init(name: "B")) == ([], false))
        catalog.remove(id: "con_2")
        #expect(ids(.init(name: "b")) == ([], false))
        catalog.upsert(entry("con_3", "b"))
        catalog.upsert(entry("con_3", "b", clients: ["x"]))
        #expect(ids(.init(name: "b")) == (["con_3"], false))
        let updated = catalog.select(filter: .init(name: "b"), after: nil, offset: 0, limit: 1, countTotal: false)
        #expect(updated.entries.first?.enabledClients == ["x"])
        // The same id under a name differing in case only: same place, the old name forgotten.
        catalog.upsert(entry("con_3", "B"))
        #expect(ids(.init(name: "b")) == ([], false) && ids(.init(name: "B")) == (["con_3"], false))
        let all = catalog.select(filter: .init(), after: nil, offset: 0, limit: 10, countTotal: false)
        #expect(all.entries.map(\.id) == ["con_1", "con_3"])
    }

    @Test(arguments: [2, 3, 4, 512])
    func orderedEntriesAgreeWithOneSortedArray(maxChunk: Int) {
        // A seeded generator: the same operations every run.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var reference = (0..<7).map { entry("con_s\($0)", "s\($0)") }
        var ordered = OrderedEntries(sorted: reference, maxChunk: maxChunk)
        for step in 0..<600 {
            switch next(4) {
            case 0, 1:
                let added = entry("con_\(step)", "n\(next(50))")
                ordered.insert(added)
                reference.insert(added, at: reference.firstIndex { !($0.sortKey < added.sortKey) } ?? reference.count)
            case 2 where !reference.isEmpty:
                let victim = reference.remove(at: next(reference.count))
                ordered.remove(at: ordered.position(of: victim.sortKey))
            default:
                guard !reference.isEmpty else { continue }
                let index = next(reference.count)
                let replacement = entry(reference[index].id, reference[index].name, clients: ["c\(step)"])
                reference[index] = replacement
                ordered.replace(at: ordered.position(of: replacement.sortKey), with: replacement)
            }
            #expect(ordered.count == reference.count)
        }
        var all: [CatalogEntry] = []
        #expect(ordered.append(from: ordered.position(of: CatalogSortKey(folded: "", id: "")), limit: .max, to: &all) == ordered.end)
        #expect(all.map(\.id) == reference.map(\.id))
        #expect(all.map(\.enabledClients) == reference.map(\.enabledClients))
        // Every position query and every offset lands where the sorted array says.
        for (index, item) in reference.enumerated() {
            #expect(ordered[ordered.position(of: item.sortKey)].id == item.id)
            let after = ordered.position(after: item.sortKey)
            #expect(after == ordered.end ? index == reference.count - 1 : ordered[after].id == reference[index + 1].id)
            let start = ordered.position(of: reference[0].sortKey)
            #expect(ordered[ordered.position(start, advancedBy: index)].id == item.id)
        }
        #expect(ordered.position(ordered.position(of: reference[0].sortKey), advancedBy: reference.count) == ordered.end)
    }

    @Test func adoptingStoredBytesMatchesRendering() throws {
        let connection: JSONObject = [
            "id": .string("con_0123456789abcdef"), "name": .string("Stored"), "strategy": .string("auth0"),
            "options": .object([
                "customScripts": .object(["login": .string("function(a) { return \"}],[{\\\"\" }")]),
                "nested": .array([.object(["k\u{1}y": .array([.int(1), .number(JSONNumber(literal: "2.5e-3")), .null])])]),
            ]),
            "enabled_clients": .array([.string("b"), .string("a")]),
            "is_domain_connection": .bool(false),
        ]
        let rendered = CatalogEntry(connection: connection, revision: 1)
        let adopted = try #require(CatalogEntry(stored: rendered.record))
        #expect(adopted.body == rendered.body)
        #expect(adopted.id == rendered.id && adopted.name == rendered.name && adopted.strategy == rendered.strategy)
        #expect(adopted.optionsRange == rendered.optionsRange)
        #expect(adopted.enabledClientsOffset == rendered.enabledClientsOffset)
        #expect(adopted.record.body == rendered.record.body)
        // A row whose clients are not sorted (an older writer) is served sorted (API.md).
        let unsorted = ConnectionRecord(
            id: "con_1", name: "x", strategy: "auth0",
            body: #"{"id":"con_1","name":"x","strategy":"auth0","enabled_clients":["b","a"],"realms":["x"]}"#)
        let sorted = try #require(CatalogEntry(stored: unsorted))
        #expect(sorted.record.body == #"{"id":"con_1","name":"x","strategy":"auth0","enabled_clients":["a","b"],"realms":["x"]}"#)
        #expect(String(decoding: sorted.body, as: UTF8.self) == #"{"id":"con_1","name":"x","strategy":"auth0","realms":["x"]}"#)
        #expect(adopted.enabledClients == ["a", "b"])
    }

    @Test(arguments: [
        #"{"name":"x","id":"con_1","strategy":"auth0"}"#,  // not id first
        #"{"id":"con_1","name":"x","strategy":"auth0""#,  // truncated
        #"{"id":"con_1","name":"x","strategy":"auth0","options":{"a":[1}}"#,  // mismatched closer
        #"{"id":"con_2","name":"x","strategy":"auth0"}"#,  // id disagrees with the column
        #"{"id":"con_1","name":"y","strategy":"auth0"}"#,  // name disagrees
        #"{"id":"con_1","name":"x"}"#,  // no strategy
        #"{"id":"con_1","name":"x","strategy":"auth0","enabled_clients":{"a":1}}"#,  // not an array
    ])
    func storedRowsOfAnotherShapeAreNotAdopted(body: String) {
        #expect(CatalogEntry(stored: ConnectionRecord(id: "con_1", name: "x", strategy: "auth0", body: body)) == nil)
    }
}
