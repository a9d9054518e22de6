import HTTP
import JSON
import Validation

/// Reads a JSON request body (API.md "Bodies"): the media type must be JSON or absent,
/// and the bytes strict JSON within the nesting limit and `JSONParser.requestMaxContainers`.
enum RequestBody {
    static func json(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        if let contentType = request.headers["Content-Type"], !isJSON(mediaTypeOf: contentType) {
            throw .unsupportedMediaType
        }
        do {
            return try JSONParser.parse(request.body, maxContainers: JSONParser.requestMaxContainers)
        } catch {
            throw .invalidJSON(because: Rule.jsonSyntax.violation(path: [], message: error.description))
        }
    }

    /// Whether a `Content-Type` value names `application/json`, in any case, with any
    /// parameters and spaces or tabs around the type. On the bytes: splitting and lowercasing
    /// the `String` cost ~7,000 instructions a request, 3% of a create.
    static func isJSON(mediaTypeOf contentType: String) -> Bool {
        var contentType = contentType
        return contentType.withUTF8 { value in
            let expected: StaticString = "application/json"
            let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            var start = 0
            var end = value.firstIndex(of: UInt8(ascii: ";")) ?? value.count
            while start < end && isBlank(value[start]) { start += 1 }
            while end > start && isBlank(value[end - 1]) { end -= 1 }
            guard end - start == expected.utf8CodeUnitCount else { return false }
            // The expected bytes are lowercase letters and '/': a sent byte is one, or its capital.
            for offset in 0..<expected.utf8CodeUnitCount {
                let sent = value[start + offset]
                let wanted = expected.utf8Start[offset]
                guard sent == wanted || (wanted >= UInt8(ascii: "a") && sent == wanted - 0x20) else { return false }
            }
            return true
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
