/// Connection ids: `con_` + 16 characters from `[A-Za-z0-9]` (API.md).
enum ConnectionID {
    /// A new random id (the CSPRNG, uniform over the 62 characters).
    static func generate() -> String {
        "con_" + SecureRandom.alphanumeric(16)
    }

    /// Whether `text` has the id format; anything else is a 400 `invalid_uri`.
    static func isWellFormed(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 20, bytes.starts(with: prefix) else { return false }
            for byte in bytes[4...] {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    continue
                default:
                    return false
                }
            }
            return true
        }
    }

    private static let prefix: [UInt8] = Array("con_".utf8)
}
