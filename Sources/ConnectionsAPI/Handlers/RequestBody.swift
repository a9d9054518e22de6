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
            throw .invalidJSON
        }
    }

    /// A body that must be a JSON object.
    static func object(_ request: HTTPRequest) throws(APIError) -> JSONObject {
        guard let object = try json(request).objectValue else { throw .invalidJSON }
        return object
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
