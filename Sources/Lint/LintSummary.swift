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
        files += report.files
        connections += report.connections
        for finding in report.findings {
            switch finding.violation.severity {
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
    /// Findings by line, then column, within each file; findings at the same place keep the
    /// engine's order (RULES.md order, then attribute order). Files are not reordered: they
    /// keep the order of their first finding (a report follows the files in the order the
    /// command line names them, a directory's in the order they were read).
    public static func sortedByPosition(_ findings: [LintFinding]) -> [LintFinding] {
        var fileOrder: [String: Int] = [:]
        for finding in findings where fileOrder[finding.file] == nil { fileOrder[finding.file] = fileOrder.count }
        return findings.enumerated().sorted { lhs, rhs in
            let left = (fileOrder[lhs.element.file] ?? 0, lhs.element.line, lhs.element.column, lhs.offset)
            let right = (fileOrder[rhs.element.file] ?? 0, rhs.element.line, rhs.element.column, rhs.offset)
            return left < right
        }.map(\.element)
    }
}
