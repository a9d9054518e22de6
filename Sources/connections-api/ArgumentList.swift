/// A tiny flag reader for this CLI (no argument-parser package: the project takes no
/// dependencies). Flags are `--name value` or `--name=value`; booleans are `--name`.
struct ArgumentList {
    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var positional: [String] = []
    private var values: [String: String] = [:]
    private var switches: Set<String> = []

    /// Reads `arguments` knowing which flags take a value and which are switches.
    init(_ arguments: [String], valued: Set<String>, switches known: Set<String>) throws {
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
            if known.contains(name) {
                guard inline == nil else { throw UsageError(description: "--\(name) takes no value") }
                switches.insert(name)
            } else if valued.contains(name) {
                if let inline {
                    values[name] = inline
                } else {
                    guard index < arguments.count else { throw UsageError(description: "--\(name) needs a value") }
                    values[name] = arguments[index]
                    index += 1
                }
            } else {
                throw UsageError(description: "unknown flag --\(name)")
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
