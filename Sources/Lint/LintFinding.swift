import JSON
import Validation

/// One located finding of `lint`: a violation (or a JSON syntax fault) pinned to a file,
/// line and column.
public struct LintFinding: Sendable, Hashable {
    /// The file as named on the command line (`<stdin>` for `-`).
    public let file: String
    /// 1-based line of the offending value (or of the syntax fault).
    public let line: Int
    /// 1-based column, counted in Unicode scalars like the parser counts them.
    public let column: Int
    public let rule: String
    public let severity: Severity
    /// Where the offending value sits in the file's document (not in the connection):
    /// `/2/options/attributes` for the third connection of an array file.
    public let path: [PathSegment]
    public let message: String
    /// The Terraform resource address (`module.idp.auth0_connection.users`), on a plan.
    public let address: String?
    /// The provider-schema path of the value (`options[0].attributes[0].email[0].unique`), on a plan.
    public let schemaPath: String?

    public init(
        file: String, line: Int, column: Int, rule: String, severity: Severity, path: [PathSegment], message: String,
        address: String? = nil, schemaPath: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
        self.severity = severity
        self.path = path
        self.message = message
        self.address = address
        self.schemaPath = schemaPath
    }
}
