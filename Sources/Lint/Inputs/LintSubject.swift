import JSON
import Validation

/// One connection found in a configuration file, in the API's JSON, with what it takes to
/// report on it in terms of the file: how a path in the API's JSON maps to a place in the file.
public struct LintSubject {
    /// Where a path of the connection's API JSON lies in the file.
    public struct Place {
        public var position: SourcePosition
        /// The path in the file's document (an RFC 6901 pointer in `json` output).
        public var documentPath: [PathSegment]
        /// The Terraform provider's schema path (`options[0].attributes[0].email[0].unique`).
        public var schemaPath: String?

        public init(position: SourcePosition, documentPath: [PathSegment], schemaPath: String? = nil) {
            self.position = position
            self.documentPath = documentPath
            self.schemaPath = schemaPath
        }
    }

    public var file: String
    /// The connection as the API would receive it: a POST body, or a PATCH body of `stored`.
    public var body: JSONValue
    public var stored: JSONObject?
    /// A Terraform resource address, for findings on a plan.
    public var address: String?
    public var place: ([PathSegment]) -> Place

    public init(
        file: String, body: JSONValue, stored: JSONObject? = nil, address: String? = nil,
        place: @escaping ([PathSegment]) -> Place
    ) {
        self.file = file
        self.body = body
        self.stored = stored
        self.address = address
        self.place = place
    }
}
