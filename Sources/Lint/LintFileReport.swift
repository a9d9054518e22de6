/// What linting one file found: its findings, and how many connections it judged (for the
/// summary line of `text`).
public struct LintFileReport: Sendable {
    public var findings: [LintFinding] = []
    public var connections = 0

    public init(findings: [LintFinding] = [], connections: Int = 0) {
        self.findings = findings
        self.connections = connections
    }
}
