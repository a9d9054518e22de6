/// The usage text of one command: synopsis, what it does, one line per flag (from the same
/// table `ArgumentList` reads), and notes.
public enum UsageText {
    /// `heading` comes before the flags (`Options:`); `nil` for none. A flag's summary that
    /// runs over several lines continues in its column.
    public static func render(
        synopsis: [String], summary: String, flags: [Flag], heading: String? = "Options:", notes: String?
    ) -> String {
        var lines = synopsis.enumerated().map { index, line in (index == 0 ? "Usage: " : "       ") + line }
        lines += ["", summary, ""]
        if let heading { lines.append(heading) }
        let listed = flags.filter { !$0.isHidden }
        let width = listed.map(\.synopsis.count).max() ?? 0
        let continuation = "\n" + String(repeating: " ", count: width + 4)
        for flag in listed {
            let padding = String(repeating: " ", count: width - flag.synopsis.count + 2)
            let summary = flag.summary.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: continuation)
            lines.append("  \(flag.synopsis)\(padding)\(summary)")
        }
        if let notes { lines += ["", notes] }
        return lines.joined(separator: "\n")
    }
}
