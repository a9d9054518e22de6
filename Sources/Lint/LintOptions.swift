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

    public static let usage = """
        Usage: connections-api lint [--format text|json|sarif|github] [--fail-on error|warning]
                                    [--tenant prompts.json] [--current stored.json]
                                    [--input api|terraform-plan|deploy-cli] [--keywords FILE] FILE... | -
               connections-api lint --list-rules [--format text|json]
               connections-api lint --explain RULE

        Judges connection files with the same rules as the API. A FILE holds a connection
        (a POST body or a GET response), an array of them, or a list response
        ({"connections":[...]}); a Terraform plan (terraform show -json); or deploy CLI
        configuration (tenant.yaml, or its directory); - reads standard input.

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

    /// Parses the arguments that follow `lint`. Options and files may be mixed; `--`
    /// ends the options; `--name=value` is accepted as well as `--name value`.
    public static func parse(_ arguments: [String]) throws(LintUsageError) -> LintOptions {
        var options = LintOptions()
        var remaining = arguments[...]
        var optionsEnded = false
        while let argument = remaining.popFirst() {
            if optionsEnded || argument == standardInput || !argument.hasPrefix("-") {
                options.files.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                options.showHelp = true
                return options
            }
            if argument == "--list-rules" {
                options.listRules = true
                continue
            }
            if argument == "--parse-yaml" {
                options.parseYAML = true
                continue
            }
            let name: String
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            guard ["--format", "--fail-on", "--tenant", "--current", "--input", "--keywords", "--explain"].contains(name) else {
                throw LintUsageError("unknown option '\(name)'")
            }
            guard let value = inlineValue ?? remaining.popFirst() else {
                throw LintUsageError("option '\(name)' needs a value")
            }
            switch name {
            case "--format":
                guard let format = LintFormat(rawValue: value) else {
                    throw LintUsageError("unknown format '\(value)' (expected text, json, sarif or github)")
                }
                options.format = format
            case "--fail-on":
                guard let severity = Severity(rawValue: value) else {
                    throw LintUsageError("unknown severity '\(value)' (expected error or warning)")
                }
                options.failOn = severity
            case "--tenant":
                guard !value.isEmpty else { throw LintUsageError("option '--tenant' needs a file") }
                options.tenantPath = value
            case "--input":
                guard let kind = LintInputKind(rawValue: value) else {
                    throw LintUsageError("unknown input '\(value)' (expected api, terraform-plan or deploy-cli)")
                }
                options.input = kind
            case "--keywords":
                guard !value.isEmpty else { throw LintUsageError("option '--keywords' needs a file") }
                options.keywordsPath = value
            case "--explain":
                guard !value.isEmpty else { throw LintUsageError("option '--explain' needs a rule id") }
                options.explainRule = value
            default:
                guard !value.isEmpty else { throw LintUsageError("option '--current' needs a file") }
                options.currentPath = value
            }
        }
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
}
