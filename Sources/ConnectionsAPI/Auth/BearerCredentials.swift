/// Reads the bearer token from the request headers (API.md, "Authorization"):
/// the scheme is case-insensitive; no header is 401; anything but exactly one
/// `Bearer <token>` header is 400 `Bad HTTP authentication header format`.
enum BearerCredentials {
    static func token(in headers: HTTPHeaders) throws(APIError) -> String {
        let values = headers.values(for: "Authorization")
        guard let value = values.first else { throw .missingAuthentication }
        guard values.count == 1 else { throw .badAuthorizationHeader }
        let parts = value.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty,
            parts[1].utf8.allSatisfy(isToken68)
        else { throw .badAuthorizationHeader }
        return String(parts[1])
    }

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
