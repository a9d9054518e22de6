import JSON
import Testing
import Validation

@testable import Lint

/// A stand-in judge that flags `options.requires_username: true` at its value and an
/// absent `options.attributes` at a path the file leaves out, so positions can be checked
/// before (and independently of) the real rules.
private func flaggingJudge(_ body: JSONValue, _ tenant: TenantSettings) -> Judgement {
    var violations: [Violation] = []
    if body["options"]?["requires_username"] == .bool(true) {
        violations.append(
            Violation(rule: "test-username", severity: .error, path: [.key("options"), .key("requires_username")], message: "no usernames"))
    }
    if body["options"]?["attributes"] == nil {
        violations.append(
            Violation(rule: "test-attributes", severity: .warning, path: [.key("options"), .key("attributes")], message: "add attributes"))
    }
    if body["id"] != nil {
        violations.append(Violation(rule: "test-id", severity: .error, path: [.key("id")], message: "id reached the judge"))
    }
    return Judgement(violations: violations, connection: body.objectValue)
}

private func engine(tenant: TenantSettings = .unknown, current: JSONObject? = nil) -> LintEngine {
    LintEngine(
        tenant: tenant, current: current, judgeCreate: flaggingJudge,
        judgeUpdate: { body, stored, tenant in
            var merged = stored
            for member in body.objectValue ?? JSONObject() { merged[member.key] = member.value }
            return flaggingJudge(.object(merged), tenant)
        })
}

private func lint(_ text: String, engine: LintEngine = engine()) -> [LintFinding] {
    engine.lint(file: "f.json", bytes: Array(text.utf8))
}

@Suite struct LintEngineTests {
    @Test func singleConnectionPointsAtTheOffendingValue() {
        let text = """
            {
              "name": "db",
              "strategy": "auth0",
              "options": {"attributes": {}, "requires_username": true}
            }
            """
        let findings = lint(text)
        #expect(findings.count == 1)
        let finding = findings[0]
        #expect(finding.violation.rule == "test-username")
        #expect(finding.line == 4)
        #expect(finding.column == 54)
        #expect(finding.violation.path.jsonPointer == "/options/requires_username")
        #expect(finding.file == "f.json")
    }

    @Test func absentValueFallsBackToItsNearestAncestor() {
        let findings = lint("{\"name\":\"db\",\"strategy\":\"auth0\",\n   \"options\": {}}")
        #expect(findings.map(\.violation.rule) == ["test-attributes"])
        #expect(findings[0].line == 2)
        #expect(findings[0].column == 15)
        #expect(findings[0].violation.severity == .warning)
    }

    @Test func arrayEntriesAreLocatedInTheFile() {
        let text = """
            [
              {"name": "a", "strategy": "auth0", "options": {"attributes": {}}},
              {"name": "b", "strategy": "auth0",
               "options": {"attributes": {}, "requires_username": true}},
              {"name": "c", "strategy": "auth0", "options": {"attributes": {}, "requires_username": true}}
            ]
            """
        let findings = lint(text)
        #expect(findings.map(\.violation.path.jsonPointer) == ["/1/options/requires_username", "/2/options/requires_username"])
        #expect(findings.map(\.line) == [4, 5])
        #expect(findings.map(\.column) == [55, 89])
    }

    @Test func listResponseEntriesAreLocatedInTheFile() {
        let text = """
            {"total": 2, "start": 0, "limit": 50, "connections": [
              {"id": "con_Xk2M9q0aB3cD4eF5", "name": "a", "strategy": "auth0", "options": {}},
              {"id": "con_Xk2M9q0aB3cD4eF6", "name": "b", "strategy": "auth0", "options": {"requires_username": true, "attributes": {}}}
            ]}
            """
        let findings = lint(text)
        #expect(findings.map(\.violation.rule) == ["test-attributes", "test-username"])
        #expect(
            findings.map(\.violation.path.jsonPointer) == ["/connections/0/options/attributes", "/connections/1/options/requires_username"])
        #expect(findings.map(\.line) == [2, 3])
        #expect(findings.map(\.column) == [79, 101])
    }

    @Test func getResponsesAreJudgedWithoutTheirID() {
        let findings = lint(#"{"id":"con_Xk2M9q0aB3cD4eF5","name":"a","strategy":"auth0","options":{"attributes":{}}}"#)
        #expect(findings.isEmpty)
    }

    /// Located per entry, positions must equal those of a whole-document parse.
    @Test(arguments: [
        // Unicode before a finding: columns count scalars on the entry's first line too.
        "[{\"name\":\"é😀\",\"options\":{\"requires_username\":true,\"attributes\":{}}},\n\t{\"display_name\":\"[{\\\"}\",\"options\":{\"requires_username\":true}}]",
        "[\r\n  {\"options\": {\"requires_username\": true}},\r\n  {\"options\": {}}\r\n]",
        "[ 1 , [\"]\", {\"}\": 2}] ,{\"options\":{\"attributes\":{},\"requires_username\":true}} , \"x\\\\\" ]",
        "{\"next\": \"a]b\", \"connections\": [{\"options\": {}}, {}, {\"options\": {\"requires_username\": true}}], \"total\": 3}",
        "  {\"connections\":\n[\n{\"options\":\n{\"requires_username\":\n\ntrue}}]}  ",
        "[{\"options\":{\"attributes\":{\"email\":{}},\"requires_username\":true}}]",
        // Compact: every entry on one line, several of them with findings.
        "[{\"options\":{}},{\"é\":1},{\"options\":{\"requires_username\":true}},{\"options\":{\"x\":\"😀\"}}]",
        "{\"connections\":[{\"options\":{}},\n{\"options\":{}}, {\"options\":{}}]}",
        // An escaped key inside an array element: that element is parsed again with positions.
        "[{\"options\":{}},\n {\"opti\\u006fns\":{\"attributes\":{},\n\"requires_username\":true}}, {\"options\":{}}]",
    ])
    func positionsMatchTheWholeDocumentParse(text: String) throws {
        let findings = lint(text)
        let (_, positions) = try JSONParser.parseWithPositions(Array(text.utf8))
        #expect(!findings.isEmpty)
        for finding in findings {
            let expected = try #require(positions.position(of: finding.violation.path))
            #expect(finding.line == expected.line, "\(finding.violation.path.jsonPointer)")
            #expect(finding.column == expected.column, "\(finding.violation.path.jsonPointer)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func positionsMatchOnGeneratedFiles(seed: UInt64) throws {
        // Entries with and without findings, separated by runs of spaces, tabs, CR/LF and
        // multi-byte text, so line breaks fall on every offset of the 8-byte counting words.
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let gaps = [" ", "\n", "\r\n", "\t", "  \n    ", "\n\n"]
        var text = next(2) == 0 ? "[" : "{\"total\": 1, \"connections\": ["
        for index in 0..<60 {
            if index > 0 { text += "," }
            text += String(repeating: gaps[next(gaps.count)], count: next(4))
            let padding = String(repeating: "é😀x", count: next(9))
            switch next(3) {
            case 0: text += "{\"display_name\": \"\(padding)\",\(gaps[next(gaps.count)])\"options\": {\"requires_username\": true}}"
            case 1: text += "{\"options\":\(gaps[next(gaps.count)]){}}"
            default: text += "{\"name\": \"ok-\(index)\", \"strategy\": \"auth0\", \"display_name\": \"\(padding)\"}"
            }
        }
        text += text.hasPrefix("[") ? "\n]" : "]}"
        let findings = lint(text)
        let (_, positions) = try JSONParser.parseWithPositions(Array(text.utf8))
        #expect(findings.count > 10)
        for finding in findings {
            let expected = try #require(positions.position(of: finding.violation.path))
            #expect(finding.line == expected.line && finding.column == expected.column, "\(finding.violation.path.jsonPointer)")
        }
    }

    @Test func escapedListKeyStillLocatesFindings() throws {
        let text = "{\"conn\\u0065ctions\": [{\"options\": {\"attributes\": {},\n \"requires_username\": true}}]}"
        let findings = lint(text)
        #expect(findings.map(\.violation.path.jsonPointer) == ["/connections/0/options/requires_username"])
        #expect(findings.map(\.line) == [2])
        #expect(findings.map(\.column) == [23])
    }

    @Test func aFaultAfterJudgedElementsLeavesOnlyTheSyntaxFinding() {
        // The array is judged while it is parsed: the first element's findings come before
        // the parser reaches the fault, and must not be reported.
        let findings = lint("[{\"options\":{\"requires_username\":true}},\n {\"options\":{}} {}]")
        #expect(findings.map(\.violation.rule) == ["json-syntax"])
        #expect(findings.map(\.line) == [2])
        #expect(findings.map(\.column) == [17])
    }

    @Test func invalidJSONIsOneSyntaxFindingAtTheFault() {
        let findings = lint("{\n  \"name\": \"a\",\n  \"strategy\" \"auth0\"\n}")
        #expect(findings.count == 1)
        #expect(findings[0].violation.rule == "json-syntax")
        #expect(findings[0].violation.severity == .error)
        #expect(findings[0].line == 3)
        #expect(findings[0].column == 14)
        #expect(findings[0].violation.message.hasPrefix("Invalid JSON: "))
    }

    @Test(arguments: ["", "   ", "{", "[1,]", "{\"a\":1,\"a\":2}", "\u{FEFF}\u{FEFF}{}", "nul", "{\"a\":\"\\ud800\"}"])
    func hostileInputsNeverCrash(text: String) {
        let findings = lint(text)
        #expect(findings.map(\.violation.rule) == ["json-syntax"])
        #expect(findings[0].line >= 1 && findings[0].column >= 1)
    }

    @Test func invalidUTF8IsASyntaxFinding() {
        let findings = engine().lint(file: "f.json", bytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        #expect(findings.map(\.violation.rule) == ["json-syntax"])
        #expect(findings[0].column == 3)
    }

    @Test(arguments: ["\"text\"", "42", "null", "[[]]", "{\"connections\": [true]}"])
    func nonObjectConnectionsAreTheEnginesSchemaErrors(text: String) {
        let findings = LintEngine().lint(file: "f.json", bytes: Array(text.utf8))
        #expect(findings.map(\.violation.rule) == ["schema"])
        #expect(findings.first?.violation.message.hasPrefix("Payload validation error: ") == true)
        #expect(findings.first?.line == 1)
    }

    @Test func aConnectionWithAConnectionsArrayIsJudgedWhole() throws {
        // Parsed in streaming mode first, its `connections` elements are not entries: the
        // object names a strategy, so it is one connection with a key the schema refuses.
        let text = "{\"name\": \"a\", \"strategy\": \"auth0\",\n \"connections\": [{\"options\": {}}]}"
        let findings = LintEngine().lint(file: "f.json", bytes: Array(text.utf8))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.violation.rule == "schema")
        #expect(finding.violation.message.contains("connections"))
        #expect(finding.violation.path.isEmpty && finding.line == 1 && finding.column == 1)
    }

    @Test func emptyArrayAndEmptyListHaveNoFindings() {
        #expect(lint("[]").isEmpty)
        #expect(lint(#"{"connections": []}"#).isEmpty)
    }

    @Test func currentMakesTheFileOnePatchBody() {
        let stored: JSONObject = ["id": .string("con_Xk2M9q0aB3cD4eF5"), "name": .string("a"), "strategy": .string("auth0")]
        let findings = lint("{\n\"options\": {\"requires_username\": true}}", engine: engine(current: stored))
        // The merged connection keeps the stored id: judgeUpdate gets the stored object as is.
        #expect(findings.map(\.violation.rule) == ["test-username", "test-attributes", "test-id"])
        #expect(findings[0].line == 2 && findings[0].column == 34)
        // `id` is not in the PATCH file: its finding falls back to the document start.
        #expect(findings[2].line == 1 && findings[2].column == 1)
    }

    @Test func realEngineFindingsAreLocated() {
        let text = """
            [{"name": "ok", "strategy": "auth0"},
             {"name": "mixed", "strategy": "auth0",
              "options": {"attributes": {"email": {"identifier": {"active": true}}}, "requires_username": true}}]
            """
        let findings = LintEngine(tenant: .fresh).lint(file: "f.json", bytes: Array(text.utf8))
        #expect(findings.map(\.violation.rule) == ["attributes-requires-username"])
        #expect(findings.first?.violation.message == "Cannot set both options.attributes and options.requires_username")
        #expect(findings.first?.violation.path.jsonPointer == "/1/options/requires_username")
        #expect(findings.first?.line == 3)
        #expect(findings.first?.column == 95)
    }
}
