import Validation

/// `file.json:12:18: error: <message> [rule]`, one line per finding: the form compilers
/// print, which editors and CI problem matchers already understand.
public struct TextLintFormatter: LineLintFormatter {
    public init() {}

    func line(_ finding: LintFinding) -> String {
        "\(finding.file):\(finding.line):\(finding.column): \(finding.violation.severity.rawValue): "
            + "\(finding.addressedMessage) [\(finding.violation.rule)]"
    }
}
