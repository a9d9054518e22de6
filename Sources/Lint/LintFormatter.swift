import Validation

/// Renders findings for one output format (CLI.md, lint `--format`).
public protocol LintFormatter: Sendable {
    /// The whole output for a run, ending with a newline when it is not empty.
    func format(_ findings: [LintFinding]) -> String
}
