import Validation

/// A `--tenant` or `--current` file that cannot be used: it is not JSON, or not the
/// response it should be. The command reports it like an unreadable file (exit 2), since
/// judging without it would answer a different question.
public struct LintInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
