import Arguments
import Validation

/// The parsed arguments of `connections-api lint` (CLI.md). Pure, so the command line
/// can be tested without running the binary.
public struct LintOptions: Sendable, Equatable {
    /// The file name `-` stands for standard input.
    public static let standardInput = "-"

    public var format: LintFormat = .text
    /// Exit 1 when any finding is at or above this severity.
    public var failOn: Severity = .error
    /// `--tenant prompts.json`: a `GET /prompts` response.
    public var tenantPath: String?
    /// `--current stored.json`: a `GET /connections/{id}` response; files are PATCH bodies.
    public var currentPath: String?
    public var files: [String] = []
    /// `--input`: what the files are; `nil` tells each file apart by its content.
    public var input: LintInputKind?
    /// `--keywords mappings.json`: deploy CLI keyword mappings.
    public var keywordsPath: String?
    /// `--help` / `-h`: print usage and exit 0.
    public var showHelp = false
    /// `--list-rules`: print every rule (in `format` text or json) and exit.
    public var listRules = false
    /// `--explain RULE`: print what the rule checks, why, and examples, and exit.
    public var explainRule: String?
    /// `--parse-yaml`: print each FILE's YAML as JSON with the positions of its values, for
    /// the oracle tests and for looking at what lint reads (docs/LINT-INPUTS.md).
    public var parseYAML = false

    public init() {}

    /// `lint`'s flags: the table both the reader and `--help` read.
    static let flags: [Flag] = [
        Flag("format", "F", "text (default), json, sarif (SARIF 2.1.0) or github (annotations)", environment: false),
        Flag("fail-on", "S", "exit 1 when a finding is at or above S: error (default) or warning", environment: false),
        Flag(
            "tenant", "FILE",
            "the GET /prompts settings; without it, rules that depend on\nidentifier_first are reported as warnings",
            environment: false),
        Flag("current", "FILE", "the stored connection (GET response); each FILE is a PATCH body", environment: false),
        Flag("input", "KIND", "api, terraform-plan or deploy-cli (default: told by content)", environment: false),
        Flag(
            "keywords", "FILE",
            "deploy CLI keyword mappings (a JSON object, or a config.json with\n"
                + "AUTH0_KEYWORD_REPLACE_MAPPINGS); default: that environment variable", environment: false),
        Flag("list-rules", nil, "print every rule: id, severity, summary", environment: false),
        Flag("explain", "RULE", "print what RULE checks, why, and a failing and a passing example", environment: false),
        Flag(
            "parse-yaml", nil, "print each FILE's YAML as JSON with the positions of its values (docs/LINT-INPUTS.md)",
            environment: false, hidden: true),
        Flag("help", nil, "print this help", environment: false, aliases: ["-h"]),
    ]

    public static let usage =
        UsageText.render(
            synopsis: [
                """
                connections-api lint [--format text|json|sarif|github] [--fail-on error|warning]
                                            [--tenant prompts.json] [--current stored.json]
                                            [--input api|terraform-plan|deploy-cli] [--keywords FILE] FILE... | -
                """,
                "connections-api lint --list-rules [--format text|json]",
                "connections-api lint --explain RULE",
            ],
            summary: """
                Judges connection files with the same rules as the API. A FILE holds a connection
                (a POST body or a GET response), an array of them, or a list response
                ({"connections":[...]}); a Terraform plan (terraform show -json); or deploy CLI
                configuration (tenant.yaml, or its directory); - reads standard input.
                """,
            flags: flags, heading: nil,
            notes: """
                Exit status: 0 nothing at or above --fail-on, 1 something is, 2 a file could not be
                read, 64 usage error.
                """) + "\n"

    /// Parses the arguments that follow `lint` with the reader every command uses
    /// (`ArgumentList`): options and files may be mixed, `--` ends the options, `--name=value`
    /// is accepted as well as `--name value`, and help wins. The messages are lint's own.
    public static func parse(_ arguments: [String]) throws(LintUsageError) -> LintOptions {
        let list: ArgumentList
        do {
            // lint's flags are not read from the environment (`--keywords` has its own variable).
            list = try ArgumentList(arguments, flags: flags, environment: { _ in nil })
        } catch {
            throw LintUsageError(message(error))
        }
        var options = LintOptions()
        if list.has(Flag.help.name) {
            options.showHelp = true
            return options
        }
        options.files = list.positional
        options.listRules = list.has("list-rules")
        options.parseYAML = list.has("parse-yaml")
        if let value = list.value("format") {
            guard let format = LintFormat(rawValue: value) else {
                throw LintUsageError("unknown format '\(value)' (expected text, json, sarif or github)")
            }
            options.format = format
        }
        if let value = list.value("fail-on") {
            guard let severity = Severity(rawValue: value) else {
                throw LintUsageError("unknown severity '\(value)' (expected error or warning)")
            }
            options.failOn = severity
        }
        if let value = list.value("input") {
            guard let kind = LintInputKind(rawValue: value) else {
                throw LintUsageError("unknown input '\(value)' (expected api, terraform-plan or deploy-cli)")
            }
            options.input = kind
        }
        options.tenantPath = try nonEmpty(list, "tenant", "a file")
        options.currentPath = try nonEmpty(list, "current", "a file")
        options.keywordsPath = try nonEmpty(list, "keywords", "a file")
        options.explainRule = try nonEmpty(list, "explain", "a rule id")
        if options.listRules || options.explainRule != nil {
            guard options.files.isEmpty else {
                throw LintUsageError("--list-rules and --explain take no FILE")
            }
            return options
        }
        if options.files.isEmpty {
            throw LintUsageError("no FILE given (use - for standard input)")
        }
        if options.files.filter({ $0 == standardInput }).count > 1 {
            throw LintUsageError("standard input (-) can be read only once")
        }
        return options
    }

    /// A flag's value, which must not be empty: `option '--tenant' needs a file`.
    private static func nonEmpty(_ list: ArgumentList, _ name: String, _ what: String) throws(LintUsageError) -> String? {
        guard let value = list.value(name) else { return nil }
        guard !value.isEmpty else { throw LintUsageError("option '--\(name)' needs \(what)") }
        return value
    }

    /// lint's wording of a command line the reader refused.
    private static func message(_ error: ArgumentError) -> String {
        switch error {
        case .unknownFlag(let spelling): "unknown option '\(spelling)'"
        case .missingValue(let name): "option '--\(name)' needs a value"
        case .unexpectedValue(let name): "option '--\(name)' takes no value"
        case .invalidSwitch, .invalidValue: error.description
        }
    }
}
