/// The decoded query string: ordered `(name, value)` pairs (`strategy` repeats).
struct QueryParameters: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init() {}

    /// Parses `a=1&b=x%20y`; `+` is a space (HTML form encoding, which Auth0 SDKs send).
    /// `nil` when a percent escape is malformed or decodes to invalid UTF-8.
    init?(raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = part.firstIndex(of: UInt8(ascii: "="))
            let rawName = equals.map { part[part.startIndex..<$0] } ?? part[...]
            let rawValue = equals.map { part[part.index(after: $0)...] } ?? part[part.endIndex...]
            guard let name = Self.decode(rawName), let value = Self.decode(rawValue) else { return nil }
            pairs.append((name, value))
        }
    }

    var names: [String] { pairs.map(\.name) }

    /// The last value of `name` (a repeated scalar parameter keeps its last value).
    func value(_ name: String) -> String? {
        pairs.last { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    func contains(_ name: String) -> Bool {
        pairs.contains { $0.name == name }
    }

    /// One form-encoded component (`+` a space, percent escapes decoded); `nil` when an escape is
    /// malformed or the result is not UTF-8. RFC 6749 §2.3.1 encodes Basic client credentials so.
    static func decodeComponent(_ text: Substring) -> String? {
        decode(text.utf8[...])
    }

    private static func decode(_ bytes: Substring.UTF8View.SubSequence) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                guard first < bytes.endIndex else { return nil }
                let second = bytes.index(after: first)
                guard second < bytes.endIndex, let high = hexValue(bytes[first]), let low = hexValue(bytes[second])
                else { return nil }
                output.append(high << 4 | low)
                index = bytes.index(after: second)
            } else {
                output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = bytes.index(after: index)
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
