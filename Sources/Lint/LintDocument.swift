import JSON
import Validation

/// What a linted file holds, and the connections inside it.
///
/// A file holds one connection (a POST body or a GET response), an array of them, or a
/// list response (`{"connections":[...]}`, with or without `start`/`limit`/`total` or
/// `next`), the shapes `GET /connections` returns (CLI.md, lint).
public enum LintDocument: Sendable, Equatable {
    case connection
    case array
    case listResponse

    /// One connection found in a document, with where it sits in that document.
    public struct Entry: Sendable {
        public let path: [PathSegment]
        public let value: JSONValue
    }

    /// Classifies a parsed document. An object is a list response only when its
    /// `connections` member is an array and it has no `strategy`: a connection always
    /// names its strategy, and `connections` is not a connection key (API.md), so a body
    /// that has both is judged as a connection and the stray key is reported by the schema.
    public static func kind(of document: JSONValue) -> LintDocument {
        switch document {
        case .array:
            return .array
        case .object(let object):
            if object["connections"]?.arrayValue != nil && !object.contains("strategy") {
                return .listResponse
            }
            return .connection
        default:
            return .connection
        }
    }

    /// Turns a GET response into the POST body it stands for: a GET response carries `id`,
    /// which a POST body may not (API.md, POST allowed keys); every other key a GET returns
    /// is one a POST may send, so the rest is judged as a create.
    public static func creationBody(from connection: JSONObject) -> JSONObject {
        var body = connection
        body["id"] = nil
        return body
    }
}
