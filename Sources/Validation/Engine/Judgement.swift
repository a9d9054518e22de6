import JSON

/// The engine's verdict on one create or update.
public struct Judgement: Sendable {
    /// Every error and warning, in RULES.md order (schema first).
    public var violations: [Violation]
    /// What would be stored (no `id` on create), or `nil` when the body could not be
    /// turned into a connection (a schema error).
    public var connection: JSONObject?

    public init(violations: [Violation], connection: JSONObject?) {
        self.violations = violations
        self.connection = connection
    }

    /// The first error: its message and errorCode become the 400's.
    public var firstError: Violation? {
        violations.first { $0.severity == .error }
    }

    /// True when nothing rejects the write (warnings allowed).
    public var isValid: Bool {
        firstError == nil
    }
}
