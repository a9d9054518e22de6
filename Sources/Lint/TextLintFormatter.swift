import Validation

/// `file.json:12:18: error: <message> [rule]`, one line per finding: the form compilers
/// print, which editors and CI problem matchers already understand.
public struct TextLintFormatter: LintFormatter {
    public init() {}

    public func format(_ findings: [LintFinding]) -> String {
        var output = ""
        for finding in findings {
            output += "\(finding.file):\(finding.line):\(finding.column): \(finding.violation.severity.rawValue): "
            if let address = finding.address { output += "\(address): " }
            output += "\(finding.violation.message) [\(finding.violation.rule)]\n"
        }
        return output
    }
}
