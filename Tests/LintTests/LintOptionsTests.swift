import Testing
import Validation

@testable import Lint

@Suite struct LintOptionsTests {
    @Test func defaults() throws {
        let options = try LintOptions.parse(["a.json"])
        #expect(options.format == .text)
        #expect(options.failOn == .error)
        #expect(options.tenantPath == nil)
        #expect(options.currentPath == nil)
        #expect(options.files == ["a.json"])
        #expect(!options.showHelp)
    }

    @Test func everyOptionInBothSpellings() throws {
        let spaced = try LintOptions.parse([
            "--format", "sarif", "a.json", "--fail-on", "warning", "--tenant", "p.json", "--current", "s.json", "b.json",
        ])
        let joined = try LintOptions.parse([
            "--format=sarif", "a.json", "--fail-on=warning", "--tenant=p.json", "--current=s.json", "b.json",
        ])
        #expect(spaced == joined)
        #expect(spaced.format == .sarif)
        #expect(spaced.failOn == .warning)
        #expect(spaced.tenantPath == "p.json")
        #expect(spaced.currentPath == "s.json")
        #expect(spaced.files == ["a.json", "b.json"])
    }

    @Test func inputsKeywordsAndTheRuleCommands() throws {
        let options = try LintOptions.parse(["--input", "terraform-plan", "--keywords=k.json", "plan.json"])
        #expect(options.input == .terraformPlan)
        #expect(options.keywordsPath == "k.json")
        #expect(try LintOptions.parse(["--input=deploy-cli", "-"]).input == .deployCLI)
        #expect(try LintOptions.parse(["--list-rules", "--format", "json"]).listRules)
        #expect(try LintOptions.parse(["--explain", "schema"]).explainRule == "schema")
        #expect(try LintOptions.parse(["--parse-yaml", "t.yaml"]).parseYAML)
        #expect(throws: LintUsageError("unknown input 'hcl' (expected api, terraform-plan or deploy-cli)")) {
            try LintOptions.parse(["--input", "hcl", "a.json"])
        }
        #expect(throws: LintUsageError("--list-rules and --explain take no FILE")) {
            try LintOptions.parse(["--list-rules", "a.json"])
        }
    }

    @Test func dashIsStandardInputAndDoubleDashEndsOptions() throws {
        #expect(try LintOptions.parse(["-"]).files == ["-"])
        #expect(try LintOptions.parse(["--", "--format", "-x.json"]).files == ["--format", "-x.json"])
    }

    @Test func helpWins() throws {
        #expect(try LintOptions.parse(["--help"]).showHelp)
        #expect(try LintOptions.parse(["a.json", "-h", "--bogus"]).showHelp)
        #expect(LintOptions.usage.hasPrefix("Usage: connections-api lint [--format text|json|sarif|github]"))
    }

    /// The options block, rendered from the flag table, reads as it did when it was written by hand.
    @Test func usageListsTheFlagsInOneColumn() {
        let options = """
              --format F       text (default), json, sarif (SARIF 2.1.0) or github (annotations)
              --fail-on S      exit 1 when a finding is at or above S: error (default) or warning
              --tenant FILE    the GET /prompts settings; without it, rules that depend on
                               identifier_first are reported as warnings
              --current FILE   the stored connection (GET response); each FILE is a PATCH body
              --input KIND     api, terraform-plan or deploy-cli (default: told by content)
              --keywords FILE  deploy CLI keyword mappings (a JSON object, or a config.json with
                               AUTH0_KEYWORD_REPLACE_MAPPINGS); default: that environment variable
              --list-rules     print every rule: id, severity, summary
              --explain RULE   print what RULE checks, why, and a failing and a passing example
              -h, --help       print this help

            Exit status: 0 nothing at or above --fail-on, 1 something is, 2 a file could not be
            read, 64 usage error.

            """
        #expect(LintOptions.usage.hasSuffix("standard input.\n\n" + options))
        #expect(!LintOptions.usage.contains("parse-yaml"))
    }

    @Test func aSwitchTakesNoValue() {
        #expect(throws: LintUsageError("option '--list-rules' takes no value")) { try LintOptions.parse(["--list-rules=1"]) }
    }

    @Test(arguments: [
        ([], "no FILE given (use - for standard input)"),
        (["--format", "xml", "a.json"], "unknown format 'xml' (expected text, json, sarif or github)"),
        (["--fail-on", "info", "a.json"], "unknown severity 'info' (expected error or warning)"),
        (["--bogus", "a.json"], "unknown option '--bogus'"),
        (["-x", "a.json"], "unknown option '-x'"),
        (["a.json", "--format"], "option '--format' needs a value"),
        (["--tenant=", "a.json"], "option '--tenant' needs a file"),
        (["--current", "", "a.json"], "option '--current' needs a file"),
        (["-", "-"], "standard input (-) can be read only once"),
        (["--format=json"], "no FILE given (use - for standard input)"),
    ])
    func usageErrors(arguments: [String], message: String) {
        #expect(throws: LintUsageError(message)) { try LintOptions.parse(arguments) }
    }
}
