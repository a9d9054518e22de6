import JSON

/// A rule is a value: a stable kebab-case id, a severity, a one-line summary and a pure
/// check from the connection to its violations (RULES.md, "The rules"). The one rule type:
/// the engine's rules carry a check; the rules whose findings a reader makes itself (`lint`'s
/// `json-syntax`, `schema`, the configuration-file rules) are the same value without one.
///
/// A class so that running the list retains one reference per rule instead of copying the
/// rule's strings and closures.
public final class Rule: Sendable {
    public let id: String
    public let severity: Severity
    public let summary: String
    /// The Auth0 `errorCode` of the 400 when a violation of this rule is the first error:
    /// `invalid_body` for every rule but 32 (`operation_not_supported`).
    public let errorCode: String
    /// The check over the view every rule shares (built once per evaluation by
    /// `RuleSet.evaluate`); it words its violations with `violation(path:message:severity:)`.
    private let findings: (@Sendable (EffectiveOptions, Rule) -> [Violation])?

    /// An engine rule.
    init(
        id: String, severity: Severity, summary: String, errorCode: String = "invalid_body",
        findings: @escaping @Sendable (EffectiveOptions, Rule) -> [Violation]
    ) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.errorCode = errorCode
        self.findings = findings
    }

    /// An engine rule with at most one violation, at `path` and worded `message`, reported at
    /// the severity `reportedAt` gives for the connection (`nil`: no violation). The rules whose
    /// severity depends on the tenant settings are this shape.
    convenience init(
        id: String, severity: Severity, summary: String, errorCode: String = "invalid_body", path: [PathSegment],
        message: String, reportedAt: @escaping @Sendable (EffectiveOptions) -> Severity?
    ) {
        self.init(id: id, severity: severity, summary: summary, errorCode: errorCode) { options, rule in
            guard let severity = reportedAt(options) else { return [] }
            return [rule.violation(path: path, message: message, severity: severity)]
        }
    }

    /// An engine rule with at most one violation, at `path` and worded `message`, at the rule's
    /// severity: whenever `violated` holds of the connection. Most rules are this shape.
    convenience init(
        id: String, severity: Severity, summary: String, errorCode: String = "invalid_body", path: [PathSegment],
        message: String, when violated: @escaping @Sendable (EffectiveOptions) -> Bool
    ) {
        self.init(id: id, severity: severity, summary: summary, errorCode: errorCode) { options, rule in
            violated(options) ? [rule.violation(path: path, message: message)] : []
        }
    }

    /// A rule whose violations are found outside the engine (by a reader of files).
    public init(id: String, severity: Severity, summary: String) {
        self.id = id
        self.severity = severity
        self.summary = summary
        errorCode = "invalid_body"
        findings = nil
    }

    /// This rule's violations on `context` (building the shared view for this rule alone).
    public func check(_ context: RuleContext) -> [Violation] {
        violations(EffectiveOptions(context))
    }

    /// This rule's violations on an already built view.
    func violations(_ options: EffectiveOptions) -> [Violation] {
        findings?(options, self) ?? []
    }

    /// A violation of this rule at `path`, at the rule's severity unless `severity` replaces it
    /// (tenant-dependent rules report warnings when the tenant settings are unknown: RULES.md,
    /// "Context a rule may need").
    public func violation(path: [PathSegment], message: String, severity: Severity? = nil) -> Violation {
        Violation(rule: id, severity: severity ?? self.severity, path: path, message: message, errorCode: errorCode)
    }
}
