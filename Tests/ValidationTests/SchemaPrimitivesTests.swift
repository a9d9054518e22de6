import JSON
import Testing

@testable import Validation

/// The small pieces the schema walk is built from.
@Suite("Schema primitives")
struct SchemaPrimitivesTests {
    @Test("KeyTable finds every name and nothing else, including same-length misses")
    func keyTable() {
        let table = KeyTable(["mfa", "realms", "options", "metadata", "strategy", "display_name"])
        #expect(table.position(of: "options") == 2)
        #expect(table.position(of: "strategy") == 4)
        #expect(table.position(of: "metadata") == 3)
        #expect(table.position(of: "optionz") == nil)
        #expect(table.position(of: "") == nil)
        #expect(table.position(of: String(repeating: "x", count: 500)) == nil)
    }

    @Test(
        "the connection name pattern",
        arguments: [
            ("a", true), ("A-1", true), ("a-b-c", true), ("Acceptance-Test-Connection-1", true), ("", false), ("-a", false),
            ("a-", false), ("a--b", false), ("a b", false), ("a_b", false), ("é", false), ("a\n", false),
        ])
    func namePattern(name: String, matches: Bool) {
        #expect(StringPattern.connectionName.matches(name) == matches)
    }

    @Test(
        "integral numbers by value",
        arguments: [
            ("0", true), ("-3", true), ("1.0", true), ("1.50e1", true), ("1.55e1", false), ("15e-1", false), ("1.5e1", true),
            ("300e-2", true), ("0.0", true), ("-0.5", false), ("1e400", true),
        ])
    func integral(literal: String, integral: Bool) {
        #expect(JSONNumber(literal: literal).isIntegral == integral)
    }

    @Test("sameValue compares objects as key sets and numbers by value")
    func sameValue() throws {
        let a = try JSONParser.parse(#"{"a":1,"b":[1,{"c":true}]}"#)
        let b = try JSONParser.parse(#"{"b":[1.0,{"c":true}],"a":1}"#)
        #expect(JSONValue.sameValue(a, b))
        #expect(!JSONValue.sameValue(a, try JSONParser.parse(#"{"a":1,"b":[1,{"c":false}]}"#)))
        #expect(!JSONValue.sameValue(.string("1"), .int(1)))
    }
}
