extension Rule {
    /// A body or a file that is not JSON: the API's `Invalid request payload JSON format`
    /// gives it as its one violation, and `lint` as its one finding.
    public static let jsonSyntax = Rule(
        id: "json-syntax", severity: .error, summary: "The file must be valid JSON (RFC 8259, no duplicate keys).")

    /// Schema problems (`SchemaValidator`), before any rule runs.
    public static let schema = Rule(
        id: "schema", severity: .error, summary: "The connection must match the Management API schema for its keys.")
}
