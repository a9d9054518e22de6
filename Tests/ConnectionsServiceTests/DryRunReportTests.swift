import JSON
import Testing
import Validation

@testable import ConnectionsService

/// `changes` and `erased` of PATCH and restore dry runs, and the hiding of configuration values.
@Suite struct DryRunReportTests {
    private let stored: JSONObject = [
        "id": .string("con_1"), "name": .string("a"),
        "options": .object([
            "mfa": .object(["active": .bool(true)]),
            "configuration": .object(["API_KEY": .string("k1"), "REGION": .string("r1")]),
            "brute_force_protection": .bool(true),
        ]),
        "realms": .array([.string("a")]),
    ]

    @Test func changesAreRFC6902AtTheHighestLevelInDocumentOrder() {
        var result = stored
        result["options"] = .object(["configuration": .object(["REGION": .string("r2")]), "brute_force_protection": .bool(false)])
        result["realms"] = .array([.string("a"), .string("b")])
        result["display_name"] = .string("Hi")
        let changes = ConnectionDiff.changes(from: stored, to: result)
        #expect(changes.map(\.op) == ["remove", "remove", "replace", "replace", "replace", "add"])
        #expect(
            changes.map(\.pointer) == [
                "/options/mfa", "/options/configuration/API_KEY", "/options/configuration/REGION",
                "/options/brute_force_protection", "/realms", "/display_name",
            ])
        #expect(changes[4].value == .array([.string("a"), .string("b")]), "arrays are replaced whole")
    }

    @Test func erasedListsWhatTheBodyDidNotNameAndEveryConfigurationKey() {
        // `options` sent without `mfa` and without `configuration`: both erased, each key of
        // the configuration listed on its own; `brute_force_protection` is named, so not erased.
        let body: JSONObject = ["options": .object(["brute_force_protection": .bool(false)])]
        var result = stored
        result["options"] = .object(["brute_force_protection": .bool(false)])
        #expect(
            ConnectionDiff.erased(from: stored, to: result, body: body) == [
                "/options/mfa", "/options/configuration", "/options/configuration/API_KEY", "/options/configuration/REGION",
            ])
        // `options: null` names `options`, but not its members, which are gone all the same.
        var cleared = stored
        cleared["options"] = .null
        #expect(
            ConnectionDiff.erased(from: stored, to: cleared, body: ["options": .null]) == [
                "/options/mfa", "/options/configuration", "/options/configuration/API_KEY", "/options/configuration/REGION",
                "/options/brute_force_protection",
            ])
        #expect(ConnectionDiff.erased(from: stored, to: stored, body: ["display_name": .string("x")]).isEmpty)
    }

    @Test func configurationValuesNeverAppear() throws {
        var result = stored
        result["options"] = .object(["configuration": .object(["NEW": .string("secret")])])
        let judgement = Judgement(violations: [], connection: result)
        let json = DryRun(judgement: judgement, stored: ["id": .string("con_1")], body: result, showsEnabledClients: false).json
        let text = String(decoding: JSONWriter.encode(json), as: UTF8.self)
        #expect(!text.contains("secret") && !text.contains("k1") && !text.contains("r1"))
        #expect(json["connection"]?["options"]?["configuration"]?["NEW"] == .string("<hidden>"))
        // The whole `options` is one `add`, its configuration hidden inside the value.
        let add = try #require(json["changes"]?.arrayValue?.first { $0["path"] == .string("/options") })
        #expect(add["value"]?["configuration"]?["NEW"] == .string("<hidden>"))
    }

    @Test func equalityIgnoresMemberOrder() {
        let a: JSONObject = ["x": .int(1), "y": .object(["p": .bool(true), "q": .null])]
        let b: JSONObject = ["y": .object(["q": .null, "p": .bool(true)]), "x": .int(1)]
        #expect(JSONEquality.same(a, b))
        #expect(!JSONEquality.same(a, ["x": .int(1)]))
        #expect(!JSONEquality.same(.array([.int(1), .int(2)]), .array([.int(2), .int(1)])))
    }
}
