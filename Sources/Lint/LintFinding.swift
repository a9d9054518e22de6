import JSON
import Validation

/// One located finding of `lint`: a `Violation`, the one finding type the API reports too,
/// with where it is in a file around it (file, line, column, and on a Terraform plan the
/// resource address and the provider-schema path).
public struct LintFinding: Sendable, Hashable {
    /// The finding, its `path` into the file's document rather than into the connection:
    /// `/2/options/attributes` for the third connection of an array file.
    public let violation: Violation
    /// The file as named on the command line (`<stdin>` for `-`).
    public let file: String
    /// 1-based line of the offending value (or of the syntax fault).
    public let line: Int
    /// 1-based column, counted in Unicode scalars like the parser counts them.
    public let column: Int
    /// The Terraform resource address (`module.idp.auth0_connection.users`), on a plan.
    public let address: String?
    /// The provider-schema path of the value (`options[0].attributes[0].email[0].unique`), on a plan.
    public let schemaPath: String?

    public init(
        _ violation: Violation, file: String, line: Int, column: Int, address: String? = nil, schemaPath: String? = nil
    ) {
        self.violation = violation
        self.file = file
        self.line = line
        self.column = column
        self.address = address
        self.schemaPath = schemaPath
    }

    public init(_ violation: Violation, file: String, at position: SourcePosition, address: String? = nil, schemaPath: String? = nil) {
        self.init(violation, file: file, line: position.line, column: position.column, address: address, schemaPath: schemaPath)
    }
}

extension Violation {
    /// The same finding at `path` (a path into the file's document, for `LintFinding`).
    func moved(to path: [PathSegment]) -> Violation {
        Violation(rule: rule, severity: severity, path: path, message: message, errorCode: errorCode)
    }
}
