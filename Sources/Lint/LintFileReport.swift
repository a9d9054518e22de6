/// What linting one file found: its findings, and how many connections it judged (for the
/// summary line of `text`).
public struct LintFileReport: Sendable {
    public var findings: [LintFinding] = []
    public var connections = 0
    /// Files read (a deploy CLI directory counts the files it holds).
    public var files = 1

    public init(findings: [LintFinding] = [], connections: Int = 0) {
        self.findings = findings
        self.connections = connections
    }
}
