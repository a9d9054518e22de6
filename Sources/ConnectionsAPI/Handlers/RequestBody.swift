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
    /// parameters and spaces or tabs around the type. Byte-wise: splitting and lowercasing the
    /// `String` cost ~7,000 instructions a request, 3% of a create.
    static func isJSON(mediaTypeOf contentType: String) -> Bool {
        let expected = "application/json".utf8
        var bytes = Substring(contentType).utf8[...]
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes = bytes[..<semicolon] }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isBlank(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isBlank(last) { bytes = bytes.dropLast() }
        // The expected bytes are lowercase letters and '/': a sent byte is one, or its capital.
        return bytes.count == expected.count
            && zip(bytes, expected).allSatisfy { sent, wanted in
                sent == wanted || (wanted >= UInt8(ascii: "a") && sent == wanted - 0x20)
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
