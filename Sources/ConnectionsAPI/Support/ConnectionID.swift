/// Connection ids: `con_` + 16 characters from `[A-Za-z0-9]` (API.md).
enum ConnectionID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A new random id. `SystemRandomNumberGenerator` reads the kernel's CSPRNG
    /// (getrandom(2) on Linux), and `random(in:)` samples without modulo bias.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = Array("con_".utf8)
        for _ in 0..<16 { bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
        return String(decoding: bytes, as: UTF8.self)
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
