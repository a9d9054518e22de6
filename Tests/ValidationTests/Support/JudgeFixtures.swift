import JSON

@testable import Validation

/// Stored connections and small helpers for the judge tests.
enum JudgeFixtures {
    /// A database connection as a create with no options would store it.
    static let storedDatabase: JSONObject = {
        let body: JSONValue = .object(["name": .string("Users"), "strategy": .string("auth0")])
        var connection = ConnectionJudge.judgeCreate(body, tenant: .fresh).connection ?? [:]
        connection["id"] = .string("con_AAAAAAAAAAAAAAAA")
        return MergeConnection.canonical(connection)
    }()

    static func parse(_ text: String) -> JSONValue {
        (try? JSONParser.parse(text)) ?? .null
    }

    static func options(_ connection: JSONObject?) -> JSONObject {
        connection?["options"]?.objectValue ?? [:]
    }
}
