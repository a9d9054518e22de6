import Validation

/// Renders findings for one output format (CLI.md, lint `--format`).
public protocol LintFormatter: Sendable {
    /// The whole output for a run, ending with a newline when it is not empty.
    func format(_ findings: [LintFinding]) -> String
}

/// A format of one line per finding (`text`, `github`): the output is the lines in order.
protocol LineLintFormatter: LintFormatter {
    /// One finding's line, without its newline.
    func line(_ finding: LintFinding) -> String
}

extension LineLintFormatter {
    public func format(_ findings: [LintFinding]) -> String {
        var output = ""
        for finding in findings { output += line(finding) + "\n" }
        return output
    }
}

extension LintFinding {
    /// The message, after the Terraform resource address when there is one (`address: message`):
    /// the line formats have no field of their own for it.
    var addressedMessage: String {
        address.map { "\($0): \(violation.message)" } ?? violation.message
    }
}
