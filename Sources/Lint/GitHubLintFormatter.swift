import Validation

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=<rule>::<message>`,
/// which the runner turns into annotations on the pull request.
///
/// Escaping follows the runner's `CommandExtensions`: in the message `%`, CR and LF are
/// percent-encoded; in property values `:` and `,` are too, since they delimit properties.
public struct GitHubLintFormatter: LintFormatter {
    public init() {}

    public func format(_ findings: [LintFinding]) -> String {
        var output = ""
        for finding in findings {
            output += "::\(finding.violation.severity.rawValue) file=\(Self.escapeProperty(finding.file)),"
            output += "line=\(finding.line),col=\(finding.column),title=\(Self.escapeProperty(finding.violation.rule))::"
            output += Self.escapeData(finding.address.map { "\($0): \(finding.violation.message)" } ?? finding.violation.message) + "\n"
        }
        return output
    }

    /// The message: `%`, CR and LF percent-encoded.
    static func escapeData(_ text: String) -> String {
        escape(text, delimiters: false)
    }

    /// A property value: `:` and `,` too, since they delimit properties.
    static func escapeProperty(_ text: String) -> String {
        escape(text, delimiters: true)
    }

    private static func escape(_ text: String, delimiters: Bool) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": escaped += "%25"
            case "\r": escaped += "%0D"
            case "\n": escaped += "%0A"
            case ":" where delimiters: escaped += "%3A"
            case "," where delimiters: escaped += "%2C"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
