import JSON
import Validation

/// Every rule a lint run can report, as `Rule` values like the engine's: the findings that
/// come before any rule runs, RULES.md's in order, then the findings about configuration
/// files. The readers find the violations of the rules here without a check of their own.
public enum LintRules {
    /// `json-syntax` and `schema`: the findings that come before any rule runs.
    public static let builtIn: [Rule] = [.jsonSyntax, .schema]

    /// Findings about Terraform plans and deploy CLI files themselves.
    public static let inputRules: [Rule] = [
        DeployCLIReader.yamlSyntaxRule, DeployCLIReader.formatRule, KeywordReplacement.unresolvedRule,
        TerraformPlanReader.unknownRule,
    ]

    /// Every rule a lint run can report (tenant-dependent rules drop to warnings without
    /// `--tenant`).
    public static let all: [Rule] = builtIn + RuleSet.auth0 + inputRules

    /// What `--list-rules` prints: `text`, one rule a line (id, severity, summary, in
    /// columns); `json`, an array of `{id, severity, summary}`.
    public static func listing(_ rules: [Rule] = all, format: LintFormat) -> String {
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
