import JSON
import Validation

/// What a report says about a rule: its id, one line on what it checks, and its usual
/// severity (tenant-dependent rules drop to warnings without `--tenant`).
public struct LintRuleDescriptor: Sendable, Hashable {
    public let id: String
    public let summary: String
    public let severity: Severity

    public init(id: String, summary: String, severity: Severity) {
        self.id = id
        self.summary = summary
        self.severity = severity
    }

    public init(_ rule: Rule) {
        self.init(id: rule.id, summary: rule.summary, severity: rule.severity)
    }

    /// `schema` and `json-syntax`: the findings that come before any rule runs.
    public static let builtIn: [LintRuleDescriptor] = [
        LintRuleDescriptor(
            id: LintEngine.syntaxRule, summary: "The file must be valid JSON (RFC 8259, no duplicate keys).",
            severity: .error),
        LintRuleDescriptor(
            id: LintEngine.schemaRule, summary: "The connection must match the Management API schema for its keys.",
            severity: .error),
    ]

    /// Findings about Terraform plans and deploy CLI files themselves.
    public static let inputRules: [LintRuleDescriptor] = [
        LintRuleDescriptor(
            id: DeployCLIReader.yamlSyntaxRule,
            summary: "The file must be YAML that lint reads (no anchors, aliases, tags or several documents).",
            severity: .error),
        LintRuleDescriptor(
            id: DeployCLIReader.formatRule, summary: "The deploy CLI configuration must have the shape the deploy CLI reads.",
            severity: .error),
        LintRuleDescriptor(
            id: KeywordReplacement.unresolvedRule, summary: "Every @@KEY@@ and ##KEY## keyword must have a mapping.", severity: .error),
        LintRuleDescriptor(
            id: TerraformPlanReader.unknownRule, summary: "Values unknown until apply are not judged; the plan is judged without them.",
            severity: .warning),
    ]

    /// Every rule a lint run can report: the built-in ones, RULES.md's in order, then the
    /// findings about configuration files.
    public static let all: [LintRuleDescriptor] = builtIn + RuleSet.auth0.map(LintRuleDescriptor.init) + inputRules
}

extension LintRuleDescriptor {
    /// What `--list-rules` prints: `text`, one rule a line (id, severity, summary, in
    /// columns); `json`, an array of `{id, severity, summary}`.
    public static func listing(_ rules: [LintRuleDescriptor] = all, format: LintFormat) -> String {
        if format == .json {
            let items: [JSONValue] = rules.map { rule in
                .object(["id": .string(rule.id), "severity": .string(rule.severity.rawValue), "summary": .string(rule.summary)])
            }
            return JSONWriter.string(.array(items)) + "\n"
        }
        let width = rules.map(\.id.count).max() ?? 0
        let severityWidth = "warning".count
        var text = ""
        for rule in rules {
            text += rule.id + String(repeating: " ", count: width - rule.id.count + 2)
            text += rule.severity.rawValue + String(repeating: " ", count: severityWidth - rule.severity.rawValue.count + 2)
            text += rule.summary + "\n"
        }
        return text
    }
}
