import Validation

/// A command line `lint` cannot run: the command prints it with the usage and exits 64.
public struct LintUsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
