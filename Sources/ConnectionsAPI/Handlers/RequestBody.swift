import JSON
import Validation

/// Reads a JSON request body (API.md "Bodies"): the media type must be JSON or absent,
/// and the bytes strict JSON within the nesting limit.
enum RequestBody {
    static func json(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        if let contentType = request.headers["Content-Type"] {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
            guard mediaType.trimmingSpaces.lowercased() == "application/json" else { throw .unsupportedMediaType }
        }
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw .invalidJSON(because: Violation(rule: syntaxRule, severity: .error, path: [], message: error.description))
        }
    }

    /// A body that must be a JSON object.
    static func object(_ request: HTTPRequest) throws(APIError) -> JSONObject {
        let body = try json(request)
        guard let object = body.objectValue else {
            // The wording the validation engine gives the same body in a dry run or `lint`.
            let detail = "Payload validation error: 'Expected type object but found type \(body.schemaTypeName)'."
            throw .invalidJSON(because: Violation(rule: "schema", severity: .error, path: [], message: detail))
        }
        return object
    }

    /// The rule id of a body that is not JSON, as `lint` names it.
    static let syntaxRule = "json-syntax"
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
