import Validation

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=<rule>::<message>`,
/// which the runner turns into annotations on the pull request.
///
/// Escaping follows the runner's `CommandExtensions`: in the message `%`, CR and LF are
/// percent-encoded; in property values `:` and `,` are too, since they delimit properties.
public struct GitHubLintFormatter: LineLintFormatter {
    public init() {}

    func line(_ finding: LintFinding) -> String {
        "::\(finding.violation.severity.rawValue) file=\(Self.escapeProperty(finding.file)),"
            + "line=\(finding.line),col=\(finding.column),title=\(Self.escapeProperty(finding.violation.rule))::"
            + Self.escapeData(finding.addressedMessage)
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
