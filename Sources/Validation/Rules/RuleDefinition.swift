/// A rule together with its check over the precomputed `EffectiveOptions`.
///
/// `Rule.check` takes a `RuleContext`, so used on its own it builds the view itself;
/// `RuleSet.evaluate` builds the view once and runs every definition's `findings` on it, which
/// keeps a full evaluation to one pass over the options (the rules run on every write and on
/// every file `lint` reads).
///
/// A class so that running the list retains one reference per rule instead of copying the
/// rule's strings and closures.
final class RuleDefinition: Sendable {
    let rule: Rule
    /// `invalid_body` for every rule but 32 (`operation_not_supported`).
    let errorCode: String
    private let findings: @Sendable (EffectiveOptions) -> [Finding]

    init(
        id: String,
        severity: Severity,
        summary: String,
        errorCode: String = "invalid_body",
        findings: @escaping @Sendable (EffectiveOptions) -> [Finding]
    ) {
        self.errorCode = errorCode
        self.findings = findings
        self.rule = Rule(id: id, severity: severity, summary: summary) { context in
            Self.violations(findings(EffectiveOptions(context)), id: id, severity: severity, errorCode: errorCode)
        }
    }

    /// This rule's violations on an already built view.
    func violations(_ options: EffectiveOptions) -> [Violation] {
        Self.violations(findings(options), id: rule.id, severity: rule.severity, errorCode: errorCode)
    }

    private static func violations(
        _ found: [Finding], id: String, severity: Severity, errorCode: String
    ) -> [Violation] {
        // An empty array costs no allocation: most rules find nothing on most connections.
        if found.isEmpty { return [] }
        return found.map { finding in
            Violation(
                rule: id,
                severity: finding.severity ?? severity,
                path: finding.path,
                message: finding.message,
                errorCode: errorCode
            )
        }
    }
}
