import HTTP
import JSON
import Validation

/// Reads a JSON request body (API.md "Bodies"): the media type must be JSON or absent,
/// and the bytes strict JSON within the nesting limit and `JSONParser.requestMaxContainers`.
enum RequestBody {
    static func json(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        if let contentType = request.headers["Content-Type"] {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
            guard mediaType.trimmingSpaces.lowercased() == "application/json" else { throw .unsupportedMediaType }
        }
        do {
            return try JSONParser.parse(request.body, maxContainers: JSONParser.requestMaxContainers)
        } catch {
            throw .invalidJSON(because: Rule.jsonSyntax.violation(path: [], message: error.description))
        }
    }

    /// A body that must be a JSON object.
    static func object(_ request: HTTPRequest) throws(APIError) -> JSONObject {
        let body = try json(request)
        guard let object = body.objectValue else {
            // The reason is the validation engine's, as a dry run or `lint` words the same body.
            throw .invalidJSON(because: BodySchema.object.violations(of: body)[0])
        }
        return object
    }

    /// A body that must match `schema`: anything else is the 400 of its first schema error,
    /// with every violation (API.md, "Errors").
    static func checked(_ body: JSONValue, against schema: BodySchema) throws(APIError) {
        let violations = schema.violations(of: body)
        if !violations.isEmpty { throw .rejected(Judgement(violations: violations, connection: nil)) }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
