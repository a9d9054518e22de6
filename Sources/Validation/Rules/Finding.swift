import JSON

/// What a rule's check found, before `Rule.init(id:severity:summary:errorCode:findings:)`
/// stamps it with the rule's id and errorCode.
struct Finding: Sendable {
    var path: [PathSegment]
    var message: String
    /// Replaces the rule's severity for this finding: tenant-dependent rules report warnings
    /// when the tenant settings are unknown (RULES.md, "Context a rule may need").
    var severity: Severity?

    init(path: [PathSegment], message: String, severity: Severity? = nil) {
        self.path = path
        self.message = message
        self.severity = severity
    }
}
