import JSON
import Testing

@testable import Validation

/// The bodies of `PATCH /prompts` and `PATCH /connections/{id}/clients`, checked by the
/// connections' validator: each case was a hand-written message in its handler, and must
/// come out first, worded as before (or as z-schema words the OAS type, where it differs).
@Suite("Body schemas")
struct BodySchemaTests {
    typealias Case = SchemaMessageTests.Case

    static let experience = "Which login experience to use. Can be `new` or `classic`."
    static let clientID =
        "The client_id of the client whose status will be changed. Note that the limit per PATCH request is 50 clients."

    static let promptCases: [Case] = [
        Case(
            body: #"{"bogus":true,"identifier_first":true,"other":1}"#,
            message: "Payload validation error: 'Additional properties not allowed: bogus,other'.", pointer: ""),
        Case(body: "{}", message: "Payload validation error: 'Too few properties defined (0), minimum 1'.", pointer: ""),
        Case(
            body: #"{"universal_login_experience":7}"#,
            message:
                "Payload validation error: 'Expected type string but found type integer' on property universal_login_experience (\(experience)).",
            pointer: "/universal_login_experience"),
        Case(
            body: #"{"universal_login_experience":"modern"}"#,
            message:
                "Payload validation error: 'No enum match for: \"modern\"' on property universal_login_experience (\(experience)).",
            pointer: "/universal_login_experience"),
        // The OAS types the flags `[boolean, null]`, which z-schema prints as `boolean,null`.
        Case(
            body: #"{"identifier_first":"yes"}"#,
            message:
                "Payload validation error: 'Expected type boolean,null but found type string' on property identifier_first (Whether identifier first is enabled or not).",
            pointer: "/identifier_first"),
        Case(
            body: #"{"webauthn_platform_first_factor":[]}"#,
            message:
                "Payload validation error: 'Expected type boolean,null but found type array' on property webauthn_platform_first_factor (Use WebAuthn with Device Biometrics as the first authentication factor).",
            pointer: "/webauthn_platform_first_factor"),
        // `1.0` is an integer to z-schema, on every route (it was "number" here before).
        Case(
            body: #"{"identifier_first":1.0}"#,
            message:
                "Payload validation error: 'Expected type boolean,null but found type integer' on property identifier_first (Whether identifier first is enabled or not).",
            pointer: "/identifier_first"),
        Case(
            body: #"{"identifier_first":1.5}"#,
            message:
                "Payload validation error: 'Expected type boolean,null but found type number' on property identifier_first (Whether identifier first is enabled or not).",
            pointer: "/identifier_first"),
    ]

    static let clientCases: [Case] = [
        Case(body: #"{"client_id":"a"}"#, message: "Payload validation error: 'Expected type array but found type object'.", pointer: ""),
        Case(body: "1.0", message: "Payload validation error: 'Expected type array but found type integer'.", pointer: ""),
        Case(body: "[]", message: "Payload validation error: 'Array is too short (0), minimum 1'.", pointer: ""),
        Case(
            body: "[" + Array(repeating: #"{"client_id":"a","status":true}"#, count: 51).joined(separator: ",") + "]",
            message: "Payload validation error: 'Array is too long (51), maximum 50'.", pointer: ""),
        Case(
            body: #"[{"client_id":"a","status":true},"a"]"#,
            message: "Payload validation error: 'Expected type object but found type string' on property [1].", pointer: "/1"),
        Case(
            body: #"[{"client_id":"a","status":true,"note":1,"x":2}]"#,
            message: "Payload validation error: 'Additional properties not allowed: note,x' on property [0].", pointer: "/0"),
        Case(
            body: #"[{"status":true}]"#,
            message: "Payload validation error: 'Missing required property: client_id' on property [0].", pointer: "/0"),
        Case(
            body: #"[{"client_id":"a"}]"#,
            message: "Payload validation error: 'Missing required property: status' on property [0].", pointer: "/0"),
        Case(
            body: #"[{"client_id":1.0,"status":true}]"#,
            message: "Payload validation error: 'Expected type string but found type integer' on property [0].client_id (\(clientID)).",
            pointer: "/0/client_id"),
        Case(
            body: #"[{"client_id":"a","status":null}]"#,
            message:
                "Payload validation error: 'Expected type boolean but found type null' on property [0].status (Whether the connection is enabled or not for this client_id).",
            pointer: "/0/status"),
    ]

    static func check(_ testCase: Case, _ schema: BodySchema) throws {
        let violations = schema.violations(of: try JSONParser.parse(Array(testCase.body.utf8)))
        let first = try #require(violations.first)
        #expect(first.message == testCase.message)
        #expect(first.path.jsonPointer == testCase.pointer)
        #expect(first.rule == "schema" && first.severity == .error && first.errorCode == "invalid_body")
    }

    @Test(arguments: promptCases)
    func prompts(_ testCase: Case) throws { try Self.check(testCase, .promptSettings) }

    @Test(arguments: clientCases)
    func enabledClients(_ testCase: Case) throws { try Self.check(testCase, .enabledClients) }

    @Test(arguments: [
        #"{"universal_login_experience":"classic"}"#, #"{"identifier_first":null}"#,
        #"{"identifier_first":true,"webauthn_platform_first_factor":false}"#,
    ])
    func validPromptBodies(body: String) throws {
        #expect(BodySchema.promptSettings.violations(of: try JSONParser.parse(Array(body.utf8))).isEmpty)
    }

    @Test func fiftyClientsPass() throws {
        let body = "[" + (0..<50).map { #"{"client_id":"c\#($0)","status":\#($0 % 2 == 0)}"# }.joined(separator: ",") + "]"
        #expect(BodySchema.enabledClients.violations(of: try JSONParser.parse(Array(body.utf8))).isEmpty)
    }

    /// Every problem is listed, not only the first a hand-written check stopped at.
    @Test func everyProblemIsListed() throws {
        let body = #"[{"client_id":5,"status":"on"},{}]"#
        let messages = BodySchema.enabledClients.violations(of: try JSONParser.parse(Array(body.utf8))).map(\.path.jsonPointer)
        #expect(messages == ["/0/client_id", "/0/status", "/1", "/1"])
    }

    /// A body that is not an object, as `Invalid request payload JSON format` explains it.
    @Test(arguments: [("[]", "array"), ("1.0", "integer"), ("2.5", "number"), ("null", "null")])
    func notAnObject(body: String, type: String) throws {
        let violations = BodySchema.object.violations(of: try JSONParser.parse(Array(body.utf8)))
        #expect(violations.map(\.message) == ["Payload validation error: 'Expected type object but found type \(type)'."])
        #expect(BodySchema.object.violations(of: .object(["any": .null])).isEmpty)
    }
}
