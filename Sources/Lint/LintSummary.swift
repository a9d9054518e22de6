/// The closing line of a `text` report, on stderr so that stdout stays one finding per
/// line: `2 errors, 1 warning in 3 connections, 2 files`.
public struct LintSummary: Sendable, Equatable {
    public var errors = 0
    public var warnings = 0
    public var connections = 0
    public var files = 0

    public init() {}

    /// Adds one file's report.
    public mutating func add(_ report: LintFileReport) {
        files += 1
        connections += report.connections
        for finding in report.findings {
            switch finding.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            }
        }
    }

    public var line: String {
        "\(Self.count(errors, "error")), \(Self.count(warnings, "warning")) in "
            + "\(Self.count(connections, "connection")), \(Self.count(files, "file"))"
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

extension LintFinding {
    /// One file's findings by line, then column; findings at the same place keep the
    /// engine's order (RULES.md order, then attribute order). Files are not reordered: a
    /// report follows the files in the order the command line names them.
    public static func sortedByPosition(_ findings: [LintFinding]) -> [LintFinding] {
        findings.enumerated().sorted { lhs, rhs in
            (lhs.element.line, lhs.element.column, lhs.offset) < (rhs.element.line, rhs.element.column, rhs.offset)
        }.map(\.element)
    }
}
