/// The one command-line reader of every command (no argument-parser package: the project
/// takes no dependencies). Each command's flags are one table (`[Flag]`) that both this
/// reader and `--help` (`UsageText`) read, so a flag cannot be accepted without being described.
///
/// The grammar: `--name value` or `--name=value` for a flag with a value, `--name` for a
/// switch, a flag's aliases (`-h`) likewise; `--` ends the flags; `-` and anything else not
/// starting with `-` is positional. `--help` ends the reading: help wins over any mistake
/// after it. A flag not given is read from its environment variable when it allows it
/// (`Flag.fromEnvironment`); the command line wins.
public struct ArgumentList: Sendable {
    public private(set) var positional: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Reads `arguments` against `flags`, then `environment` (the process's, passed in by the
    /// executable so that tests can pass their own).
    public init(_ arguments: [String], flags: [Flag], environment: (String) -> String?) throws(ArgumentError) {
        var bySpelling: [String: Flag] = [:]
        for flag in flags {
            for spelling in ["--" + flag.name] + flag.aliases where bySpelling[spelling] == nil {
                bySpelling[spelling] = flag
            }
        }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--" {
                positional += remaining
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                positional.append(argument)
                continue
            }
            var spelling = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                spelling = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            guard let flag = bySpelling[spelling] else { throw .unknownFlag(spelling) }
            if flag.value == nil {
                guard inline == nil else { throw .unexpectedValue(flag.name) }
                switches.insert(flag.name)
                if flag.name == Flag.help.name { return }
            } else {
                guard let value = inline ?? remaining.popFirst() else { throw .missingValue(flag.name) }
                values[flag.name] = value
            }
        }
        for flag in flags where flag.fromEnvironment && values[flag.name] == nil && !switches.contains(flag.name) {
            // An empty variable counts as unset, as with `CONNECTIONS_API_TOKEN`.
            guard let text = environment(flag.environmentName), !text.isEmpty else { continue }
            if flag.value != nil {
                values[flag.name] = text
            } else {
                switch text.lowercased() {
                case "1", "true", "yes", "on": switches.insert(flag.name)
                case "0", "false", "no", "off": break
                default: throw .invalidSwitch(variable: flag.environmentName, value: text)
                }
            }
        }
    }

    /// The value of a flag with a value, from the command line or the environment.
    public func value(_ name: String) -> String? {
        values[name]
    }

    /// Whether a switch is on.
    public func has(_ name: String) -> Bool {
        switches.contains(name)
    }
}
