/// One command-line flag as `--help` describes it and `ArgumentList` reads it.
public struct Flag: Sendable {
    /// Without the leading `--`.
    public let name: String
    /// The placeholder of its value in `--help` (`SECONDS`); `nil` for a switch.
    public let value: String?
    /// The description `--help` prints; a line break continues it under itself.
    public let summary: String
    /// Also read from `CONNECTIONS_API_<NAME>` when not given (CLI.md: every `serve` flag).
    public let fromEnvironment: Bool
    /// Other spellings, written out (`-h`).
    public let aliases: [String]
    /// Read but not listed by `--help` (a tool for the project's own tests).
    public let isHidden: Bool

    public init(
        _ name: String, _ value: String?, _ summary: String, environment: Bool = true, aliases: [String] = [],
        hidden: Bool = false
    ) {
        self.name = name
        self.value = value
        self.summary = summary
        fromEnvironment = environment
        self.aliases = aliases
        isHidden = hidden
    }

    /// `--help`: every command has it; it is never read from the environment, and reading
    /// stops at it.
    public static let help = Flag("help", nil, "print this help and exit", environment: false)

    public static let environmentPrefix = "CONNECTIONS_API_"

    /// `--log-format` is `CONNECTIONS_API_LOG_FORMAT`.
    public var environmentName: String {
        Self.environmentPrefix + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// `--rate-limit RATE/BURST`, `-h, --help`, as the options list shows it.
    public var synopsis: String {
        let spelling = (aliases + ["--" + name]).joined(separator: ", ")
        return value.map { "\(spelling) \($0)" } ?? spelling
    }
}
