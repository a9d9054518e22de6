import JSON

/// One finding: which rule, how severe, where (a path into the submitted connection,
/// rendered as an RFC 6901 pointer at output) and what to do about it. The one finding type:
/// the API's `violations` are these, and `lint` puts a location around them (`LintFinding`).
public struct Violation: Sendable, Hashable {
    public let rule: String
    public let severity: Severity
    public let path: [PathSegment]
    public let message: String
    /// The Auth0 `errorCode` of the 400 when this is the first error (`invalid_body` for
    /// almost every rule; rule 32 answers `operation_not_supported`).
    public let errorCode: String

    public init(rule: String, severity: Severity, path: [PathSegment], message: String, errorCode: String = "invalid_body") {
        self.rule = rule
        self.severity = severity
        self.path = path
        self.message = message
        self.errorCode = errorCode
    }

    /// `{"rule","severity","path","message"}`, the shape of API.md's `violations` items.
    public var json: JSONValue {
        .object([
            "rule": .string(rule),
            "severity": .string(severity.rawValue),
            "path": .string(path.jsonPointer),
            "message": .string(message),
        ])
    }
}
