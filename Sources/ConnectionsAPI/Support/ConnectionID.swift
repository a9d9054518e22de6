/// Connection ids: `con_` + 16 characters from `[A-Za-z0-9]` (API.md).
enum ConnectionID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A new random id: 16 characters drawn uniformly from the CSPRNG's bytes. A byte is used
    /// only below 248 (4 × 62), so `byte % 62` has no modulo bias; 32 bytes almost always
    /// suffice (fewer than 16 usable ones has a probability below 10⁻¹⁴), else more are drawn.
    static func generate() -> String {
        var id = prefix
        id.reserveCapacity(prefix.count + 16)
        while id.count < prefix.count + 16 {
            for byte in SecureRandom.bytes(32) where byte < 248 && id.count < prefix.count + 16 {
                id.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(decoding: id, as: UTF8.self)
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
