import JSON
import Testing
import Validation

@testable import Lint

@Suite struct LintDocumentTests {
    @Test(arguments: [
        (#"{"name":"a","strategy":"auth0"}"#, LintDocument.connection),
        (#"[{"name":"a"}]"#, .array),
        (#"{"connections":[]}"#, .listResponse),
        (#"{"connections":[],"next":"abc"}"#, .listResponse),
        (#"{"start":0,"limit":50,"total":0,"connections":[]}"#, .listResponse),
        // A connection with a stray `connections` key is still a connection: the schema reports the key.
        (#"{"strategy":"auth0","connections":[]}"#, .connection),
        (#"{"connections":{}}"#, .connection),
        ("42", .connection),
    ])
    func kinds(text: String, kind: LintDocument) throws {
        #expect(LintDocument.kind(of: try JSONParser.parse(text)) == kind)
    }

    @Test func creationBodyDropsOnlyTheID() {
        let response: JSONObject = [
            "id": .string("con_Xk2M9q0aB3cD4eF5"), "name": .string("a"), "strategy": .string("auth0"),
            "enabled_clients": .array([]), "realms": .array([.string("a")]),
        ]
        #expect(LintDocument.creationBody(from: response).keys == ["name", "strategy", "enabled_clients", "realms"])
    }
}
