import HTTP

/// Reads the bearer token from the request headers (API.md, "Authorization"):
/// the scheme is case-insensitive; no header is 401; anything but exactly one
/// `Bearer <token>` header is 400 `Bad HTTP authentication header format`.
enum BearerCredentials {
    static func token(in headers: HTTPHeaders) throws(APIError) -> String {
        // One pass over the fields, byte-wise: this runs on every request.
        var found: String?
        for field in headers where HTTPHeaders.namesEqual(field.name, "Authorization") {
            guard found == nil else { throw .badAuthorizationHeader }
            found = field.value
        }
        guard var value = found else { throw .missingAuthentication }
        let token: String? = value.withUTF8 { bytes in
            guard bytes.count > scheme.count else { return nil }
            for index in 0..<scheme.count where ASCII.lower(bytes[index]) != scheme[index] { return nil }
            let rest = UnsafeBufferPointer(rebasing: bytes[scheme.count...])
            guard rest.allSatisfy(isToken68) else { return nil }
            return String(decoding: rest, as: UTF8.self)
        }
        guard let token else { throw .badAuthorizationHeader }
        return token
    }

    private static let scheme: [UInt8] = Array("bearer ".utf8)

    /// RFC 9110 §11.2 token68: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" then "="*.
    private static func isToken68(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"),
            UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
