/// A rule is a value: a stable kebab-case id, a severity, a one-line description and a
/// pure function from the context to its violations (RULES.md, "The rules").
public struct Rule: Sendable {
    public let id: String
    public let severity: Severity
    public let summary: String
    public let check: @Sendable (RuleContext) -> [Violation]

    public init(id: String, severity: Severity, summary: String, check: @escaping @Sendable (RuleContext) -> [Violation]) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.check = check
    }
}
