import HTTPTransport

/// Connection ids: `con_` and 16 characters of `[A-Za-z0-9]`, Auth0's format.
enum ConnectionID {
    /// A new id: the time in milliseconds as 8 base-62 digits (ordered as their bytes are:
    /// `0-9`, `A-Z`, `a-z`; until the year 8888), then 8 random characters from the CSPRNG
    /// (47 bits). Ids made later sort after earlier ones, so each new id lands at the end of
    /// every index keyed by id (the store's connections and revisions) instead of on a random
    /// page of it: docs/DECISIONS.md, "Connection ids lead with their creation time".
    static func generate(milliseconds: Int64 = WallClock.milliseconds()) -> String {
        var text = prefix + [UInt8](repeating: 0, count: timeDigits)
        var value = UInt64(max(0, milliseconds))
        for index in stride(from: text.count - 1, through: prefix.count, by: -1) {
            text[index] = orderedDigits[Int(value % 62)]
            value /= 62
        }
        text.append(contentsOf: SecureRandom.alphanumeric(16 - timeDigits).utf8)
        return String(decoding: text, as: UTF8.self)
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
    /// 62^8 ms is ~6,900 years.
    private static let timeDigits = 8
    private static let orderedDigits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
}
