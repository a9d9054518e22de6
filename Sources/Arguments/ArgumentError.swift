/// A command line that cannot be read. `description` is the wording of serve, migrate,
/// clients and admin-token (`error: unknown flag --x`); `lint` words the same cases its own
/// way (`LintOptions`), as it always has.
public enum ArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// As written: `--bogus`, `-x`.
    case unknownFlag(String)
    /// A flag (its name, without `--`) that needs a value and has none.
    case missingValue(String)
    /// A switch given a value (`--quiet=1`).
    case unexpectedValue(String)
    /// A switch's environment variable that is not 1 or 0.
    case invalidSwitch(variable: String, value: String)
    /// A value the command refuses, with the command's words.
    case invalidValue(String)

    public var description: String {
        switch self {
        case .unknownFlag(let spelling): "unknown flag \(spelling)"
        case .missingValue(let name): "--\(name) needs a value"
        case .unexpectedValue(let name): "--\(name) takes no value"
        case .invalidSwitch(let variable, let value): "\(variable) must be 1 or 0 (true or false), not \(value)"
        case .invalidValue(let message): message
        }
    }
}
