import JSON
import Testing
import Validation

@testable import Lint

/// The parts of a report around the engine: the byte-order mark, the order of findings,
/// the summary line, rule listings and explanations, and rules judged past a schema error.
@Suite struct LintPolishTests {
    private let engine = LintEngine(tenant: .fresh)

    @Test func byteOrderMarkIsSkippedAndPositionsCountFromAfterIt() {
        let text = "\u{FEFF}{\"name\": \"a\", \"strategy\": \"auth0\", \"options\": {\"brute_force_protection\": 7}}"
        let findings = engine.lint(file: "f.json", bytes: Array(text.utf8))
        #expect(findings.map(\.violation.rule) == ["schema"])
        // The value 7 is the 74th character after the mark.
        #expect(findings.first?.line == 1)
        #expect(findings.first?.column == 74)
    }

    @Test func findingsAreSortedByLineThenColumnKeepingTheEnginesOrderAtOnePlace() {
        func finding(_ line: Int, _ column: Int, _ rule: String) -> LintFinding {
            LintFinding(Violation(rule: rule, severity: .error, path: [], message: ""), file: "f", line: line, column: column)
        }
        let sorted = LintFinding.sortedByPosition([
            finding(12, 1, "a"), finding(8, 4, "b"), finding(8, 2, "c"), finding(12, 1, "d"), finding(5, 9, "e"),
        ])
        #expect(sorted.map(\.violation.rule) == ["e", "c", "b", "a", "d"])
    }

    @Test func summaryCountsFindingsConnectionsAndFiles() {
        var summary = LintSummary()
        let array =
            #"[{"name": "a", "strategy": "auth0", "options": {"requires_username": true, "attributes": {"email": {"identifier": {"active": true}}}}}, {"name": "b", "strategy": "auth0"}]"#
        summary.add(engine.report(file: "a.json", bytes: Array(array.utf8)))
        summary.add(engine.report(file: "b.json", bytes: Array("{".utf8)))
        #expect(summary.connections == 2)
        #expect(summary.files == 2)
        #expect(
            summary.line
                == "\(summary.errors) errors, \(summary.warnings) warning\(summary.warnings == 1 ? "" : "s") in 2 connections, 2 files")
        #expect(summary.errors >= 2)
        var single = LintSummary()
        single.add(LintFileReport(findings: [], connections: 1))
        #expect(single.line == "0 errors, 0 warnings in 1 connection, 1 file")
    }

    @Test func aSchemaErrorNoLongerHidesTheRulesOfItsConnection() {
        // `brute_force_protection` has the wrong type and `colour` is unknown; the attributes
        // and requires_username still break rule 1, which the API would never reach.
        let text = #"""
            {"name": "a", "strategy": "auth0", "colour": "red", "options": {"brute_force_protection": "yes",
             "attributes": {"email": {"identifier": {"active": true}}}, "requires_username": true}}
            """#
        let findings = engine.lint(file: "f.json", bytes: Array(text.utf8))
        #expect(findings.map(\.violation.rule) == ["schema", "schema", "attributes-requires-username"])
        #expect(findings.last?.line == 2)
        #expect(findings.last?.column == 82)
    }

    @Test func rulesAtAValueSetAsideAreNotReported() {
        // `identifier.active` has the wrong type: without it no identifier is active, which rule 3
        // would report at /options/attributes, an ancestor of the value set aside.
        let text = #"{"name": "a", "strategy": "auth0", "options": {"attributes": {"email": {"identifier": {"active": "yes"}}}}}"#
        let findings = engine.lint(file: "f.json", bytes: Array(text.utf8))
        #expect(findings.map(\.violation.rule) == ["schema"])
    }

    @Test func aTopLevelFaultStopsJudging() {
        let text = #"{"name": "a", "options": {"attributes": {"email": {"identifier": {"active": true}}}, "requires_username": true}}"#
        let findings = engine.lint(file: "f.json", bytes: Array(text.utf8))
        #expect(findings.map(\.violation.rule) == ["schema"])
    }

    @Test func listingNamesEveryRuleInTextAndJSON() throws {
        let text = LintRules.listing(format: .text)
        #expect(text.split(separator: "\n").count == LintRules.all.count)
        #expect(text.contains("password-disable-requires-otp"))
        let json = try JSONParser.parse(LintRules.listing(format: .json))
        let ids = json.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids == LintRules.all.map(\.id))
        #expect(json.arrayValue?.first?["severity"] == .string("error"))
    }

    @Test func sarifDriverCarriesTheBuildVersion() throws {
        let log = try JSONParser.parse(SARIFLintFormatter().format([]))
        let driver = log["runs"]?.arrayValue?.first?["tool"]?["driver"]
        #expect(driver?["version"] == .string(BuildVersion.current))
    }
}

/// Every rule has an explanation, and its examples do what they say: the failing one raises
/// the rule, the passing one does not.
@Suite struct RuleExplanationTests {
    @Test func everyRuleIsExplained() {
        for rule in LintRules.all {
            #expect(RuleExplanation.named(rule.id) != nil, "no explanation for \(rule.id)")
        }
    }

    @Test(arguments: RuleSet.auth0.map(\.id))
    func examplesBehave(id: String) throws {
        let explanation = try #require(RuleExplanation.named(id))
        #expect(try rules(of: explanation.failing).contains(id), "the failing example of \(id) passes")
        #expect(try !rules(of: explanation.passing).contains(id), "the passing example of \(id) fails")
        #expect(explanation.text.hasPrefix("\(id)\n\nWhat it checks: "))
    }

    @Test func schemaExamplesBehave() throws {
        let explanation = try #require(RuleExplanation.named("schema"))
        #expect(try rules(of: explanation.failing) == ["schema"])
        #expect(try rules(of: explanation.passing).isEmpty)
    }

    @Test func syntaxExamplesBehave() throws {
        let explanation = try #require(RuleExplanation.named("json-syntax"))
        let engine = LintEngine()
        #expect(engine.lint(file: "f", bytes: Array(explanation.failing.body.utf8)).map(\.violation.rule) == ["json-syntax"])
        #expect(engine.lint(file: "f", bytes: Array(explanation.passing.body.utf8)).isEmpty)
    }

    @Test(arguments: ["yaml-syntax", "deploy-cli-format", "keyword-unresolved"])
    func deployCLIExamplesBehave(id: String) throws {
        let explanation = try #require(RuleExplanation.named(id))
        #expect(explanation.failing.isFile && explanation.passing.isFile)
        func rules(_ example: RuleExplanation.Example) -> [String] {
            DeployCLIReader.readYAML(file: "t.yaml", bytes: Array(example.body.utf8), keywords: ["ENV": .string("prod")])
                .findings.map(\.violation.rule)
        }
        let failing = DeployCLIReader.readYAML(file: "t.yaml", bytes: Array(explanation.failing.body.utf8), keywords: JSONObject())
        #expect(failing.findings.map(\.violation.rule).contains(id))
        #expect(!rules(explanation.passing).contains(id))
    }

    private func rules(of example: RuleExplanation.Example) throws -> [String] {
        let body = try JSONParser.parse(example.body)
        let judgement: Judgement
        if let stored = example.stored {
            let connection = try #require(try JSONParser.parse(stored).objectValue)
            judgement = ConnectionJudge.judgeUpdate(body, stored: connection, tenant: example.tenant)
        } else {
            judgement = ConnectionJudge.judgeCreate(body, tenant: example.tenant)
        }
        return judgement.violations.map(\.rule)
    }
}
