/// A tiny flag reader for this CLI (no argument-parser package: the project takes no
/// dependencies). Flags are `--name value` or `--name=value`; switches are `--name`.
/// A flag not given on the command line is read from its environment variable when the
/// command allows it (`Flag.fromEnvironment`); the command line wins.
struct ArgumentList {
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var positional: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Reads `arguments` against `flags`, then the environment (`environment` stands in for
    /// the process's, so tests can pass their own).
    init(_ arguments: [String], flags: [Flag], environment: (String) -> String? = ProcessIO.environment) throws {
        let byName = Dictionary(flags.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--"), argument != "--" else {
                positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let flag = byName[name] else { throw UsageError(description: "unknown flag --\(name)") }
            if flag.value == nil {
                guard inline == nil else { throw UsageError(description: "--\(name) takes no value") }
                switches.insert(name)
            } else if let inline {
                values[name] = inline
            } else {
                guard index < arguments.count else { throw UsageError(description: "--\(name) needs a value") }
                values[name] = arguments[index]
                index += 1
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
                default: throw UsageError(description: "\(flag.environmentName) must be 1 or 0 (true or false), not \(text)")
                }
            }
        }
    }

    func value(_ name: String) -> String? {
        values[name]
    }

    func has(_ name: String) -> Bool {
        switches.contains(name)
    }
}
