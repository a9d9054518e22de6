/// One command-line flag as `--help` describes it and `ArgumentList` reads it.
struct Flag {
    /// Without the leading `--`.
    let name: String
    /// The placeholder of its value in `--help` (`SECONDS`); `nil` for a switch.
    let value: String?
    /// The one-line description `--help` prints.
    let summary: String
    /// Also read from `CONNECTIONS_API_<NAME>` when not given (CLI.md: every `serve` flag).
    let fromEnvironment: Bool

    init(_ name: String, _ value: String?, _ summary: String, environment: Bool = true) {
        self.name = name
        self.value = value
        self.summary = summary
        fromEnvironment = environment
    }

    /// `--help`: every command has it; it is never read from the environment.
    static let help = Flag("help", nil, "print this help and exit", environment: false)

    static let environmentPrefix = "CONNECTIONS_API_"

    /// `--log-format` is `CONNECTIONS_API_LOG_FORMAT`.
    var environmentName: String {
        Self.environmentPrefix + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// `--rate-limit RATE/BURST`, as the options list shows it.
    var synopsis: String {
        value.map { "--\(name) \($0)" } ?? "--\(name)"
    }
}
