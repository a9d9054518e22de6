import JSON
import Testing
import Validation

@testable import Lint

private let findings = [
    LintFinding(
        Violation(
            rule: "attribute-required-on-signup", severity: .error,
            path: [.key("options"), .key("attributes"), .key("email"), .key("signup"), .key("status")],
            message: "attribute email must also be required on signup"),
        file: "connections/db.json", line: 12, column: 18),
    LintFinding(
        Violation(
            rule: "phone-otp-provider", severity: .warning, path: [.index(2), .key("a/b~c")],
            message: "50% done\r\nsecond line: yes, really"),
        file: "dir,with:odd%name.json", line: 3, column: 1),
]

@Suite struct LintFormatterTests {
    @Test func textIsOneCompilerStyleLinePerFinding() {
        let output = TextLintFormatter().format(findings)
        #expect(
            output == """
                connections/db.json:12:18: error: attribute email must also be required on signup [attribute-required-on-signup]
                dir,with:odd%name.json:3:1: warning: 50% done\r\nsecond line: yes, really [phone-otp-provider]

                """)
        #expect(TextLintFormatter().format([]) == "")
    }

    @Test func jsonIsAnArrayOfLocatedViolations() throws {
        let output = JSONLintFormatter().format(findings)
        let parsed = try JSONParser.parse(output)
        let items = try #require(parsed.arrayValue)
        #expect(items.count == 2)
        #expect(items[0]["file"] == .string("connections/db.json"))
        #expect(items[0]["line"] == .int(12))
        #expect(items[0]["column"] == .int(18))
        #expect(items[0]["rule"] == .string("attribute-required-on-signup"))
        #expect(items[0]["severity"] == .string("error"))
        #expect(items[0]["path"] == .string("/options/attributes/email/signup/status"))
        #expect(items[1]["path"] == .string("/2/a~1b~0c"))
        #expect(items[1]["message"] == .string("50% done\r\nsecond line: yes, really"))
        #expect(items[0].objectValue?.keys == ["file", "line", "column", "rule", "severity", "path", "message"])
        #expect(JSONLintFormatter().format([]) == "[]\n")
    }

    @Test func githubAnnotationsEscapeDataAndProperties() {
        let lines = GitHubLintFormatter().format(findings).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3)
        #expect(
            lines[0]
                == "::error file=connections/db.json,line=12,col=18,title=attribute-required-on-signup::attribute email must also be required on signup"
        )
        #expect(
            lines[1]
                == "::warning file=dir%2Cwith%3Aodd%25name.json,line=3,col=1,title=phone-otp-provider::50%25 done%0D%0Asecond line: yes, really"
        )
        #expect(lines[2] == "")
    }

    @Test func sarifCarriesWhatCodeScanningRequires() throws {
        let rules = [Rule(id: "attribute-required-on-signup", severity: .error, summary: "Required attributes need sign-up.")]
        let output = SARIFLintFormatter(rules: LintRules.builtIn + rules).format(findings)
        let log = try JSONParser.parse(output)
        #expect(log["version"] == .string("2.1.0"))
        #expect(log["$schema"] == .string("https://json.schemastore.org/sarif-2.1.0.json"))
        let run = try #require(log["runs"]?.arrayValue?.first)
        #expect(log["runs"]?.arrayValue?.count == 1)
        #expect(run["columnKind"] == .string("unicodeCodePoints"))
        let driver = try #require(run["tool"]?["driver"])
        #expect(driver["name"] == .string("connections-api"))
        #expect(driver["informationUri"]?.stringValue?.hasPrefix("https://") == true)
        let ruleIDs = driver["rules"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        // The unknown `phone-otp-provider` is appended so every ruleIndex resolves.
        #expect(ruleIDs == ["json-syntax", "schema", "attribute-required-on-signup", "phone-otp-provider"])
        #expect(driver["rules"]?.arrayValue?[2]["shortDescription"]?["text"] == .string("Required attributes need sign-up."))

        let results = try #require(run["results"]?.arrayValue)
        #expect(results.count == 2)
        let first = results[0]
        #expect(first["ruleId"] == .string("attribute-required-on-signup"))
        #expect(first["ruleIndex"] == .int(2))
        #expect(first["level"] == .string("error"))
        #expect(first["message"]?["text"] == .string("attribute email must also be required on signup"))
        let location = try #require(first["locations"]?.arrayValue?.first?["physicalLocation"])
        #expect(location["artifactLocation"]?["uri"] == .string("connections/db.json"))
        #expect(location["region"]?["startLine"] == .int(12))
        #expect(location["region"]?["startColumn"] == .int(18))
        #expect(results[1]["level"] == .string("warning"))
        #expect(results[1]["ruleIndex"] == .int(3))
    }

    @Test func sarifWithoutFindingsStillDescribesTheTool() throws {
        let log = try JSONParser.parse(SARIFLintFormatter().format([]))
        #expect(log["runs"]?.arrayValue?.first?["results"] == .array([]))
        #expect(log["runs"]?.arrayValue?.first?["tool"]?["driver"]?["rules"]?.arrayValue?.isEmpty == false)
    }

    @Test(arguments: [
        ("connections/db.json", "connections/db.json"),
        ("./a b.json", "./a%20b.json"),
        ("/abs/x.json", "file:///abs/x.json"),
        ("c:d#e?.json", "c%3Ad%23e%3F.json"),
        ("é.json", "%C3%A9.json"),
        ("<stdin>", "%3Cstdin%3E"),
    ])
    func sarifURIsAreRelativeReferencesOrFileURIs(path: String, uri: String) {
        #expect(SARIFLintFormatter.uri(forPath: path) == uri)
    }

    @Test func everyFormatHasAFormatter() {
        #expect(LintFormat.allCases.map(\.rawValue) == ["text", "json", "sarif", "github"])
        #expect(LintFormat.text.formatter() is TextLintFormatter)
        #expect(LintFormat.json.formatter() is JSONLintFormatter)
        #expect(LintFormat.sarif.formatter() is SARIFLintFormatter)
        #expect(LintFormat.github.formatter() is GitHubLintFormatter)
    }

    @Test func catalogStartsWithTheBuiltInRulesAndHasNoDuplicates() {
        let ids = LintRules.all.map(\.id)
        #expect(Array(ids.prefix(2)) == ["json-syntax", "schema"])
        #expect(Set(ids).count == ids.count)
    }
}
