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
        let utf8 = text.utf8
        guard utf8.count == 20, text.hasPrefix("con_") else { return false }
        return utf8.dropFirst(4).allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
    }
}
