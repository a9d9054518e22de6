/// A string `pattern` as a hand-written matcher plus its source text for messages.
/// The module avoids regular-expression engines: the few patterns Auth0 uses here are
/// simple enough to check in one pass over the bytes.
struct StringPattern: Sendable {
    /// The pattern as the OAS spells it; z-schema prints it in `String does not match pattern`.
    let source: String
    let matches: @Sendable (String) -> Bool

    /// `^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$`: ASCII letters and digits, with single
    /// hyphens only between two of them (the connection name pattern).
    static let connectionName = StringPattern(source: "^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$") { text in
        var text = text
        return text.withUTF8(matchesConnectionName)
    }

    private static func matchesConnectionName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousWasHyphen = true  // a leading hyphen is as wrong as a doubled one
        var sawAny = false
        for byte in bytes {
            if byte == UInt8(ascii: "-") {
                if previousWasHyphen { return false }
                previousWasHyphen = true
            } else if isASCIIAlphanumeric(byte) {
                previousWasHyphen = false
                sawAny = true
            } else {
                return false
            }
        }
        return sawAny && !previousWasHyphen
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
