import JSON
import Validation

/// The deploy CLI's keyword replacement (auth0-deploy-cli `src/tools/utils.ts`,
/// `keywordReplace`), done as it does it, on a file's text before parsing: `@@KEY@@`
/// (together with quotes around it, `"@@KEY@@"` or `'@@KEY@@'`) becomes the JSON encoding
/// of the value, so an array or object can be put in place; `##KEY##` becomes the value as
/// text. A keyword with no mapping is left as written and reported, at its own position.
public struct KeywordReplacement: Sendable {
    /// A keyword in the text with no mapping.
    public struct Unresolved: Sendable, Equatable {
        public let keyword: String
        /// Offset of its first `@` or `#` in the text as written.
        public let offset: Int
    }

    public let text: SourceText
    public let unresolved: [Unresolved]

    /// The rule of an unresolved keyword.
    public static let unresolvedRule = Rule(
        id: "keyword-unresolved", severity: .error, summary: "Every @@KEY@@ and ##KEY## keyword must have a mapping.")

    /// Keys of unresolved keywords are recognised by this shape; a mapping's own keys may
    /// be anything.
    private static func isKeywordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }

    public init(_ bytes: [UInt8], mappings: JSONObject) {
        // Most files have no keyword: a pair of markers is looked for before copying anything.
        guard Self.mayHoldKeyword(bytes) else {
            text = SourceText(bytes)
            unresolved = []
            return
        }
        var parsed: [UInt8] = []
        parsed.reserveCapacity(bytes.count)
        var replacements: [SourceText.Replacement] = []
        var unresolved: [Unresolved] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let quoted = (byte == 0x22 || byte == 0x27) && index + 2 < bytes.count && bytes[index + 1] == 0x40 && bytes[index + 2] == 0x40
            guard byte == 0x40 || byte == 0x23 || quoted else {
                parsed.append(byte)
                index += 1
                continue
            }
            let markerStart = quoted ? index + 1 : index
            let marker = bytes[markerStart]
            guard let (key, end) = Self.keyword(in: bytes, at: markerStart, marker: marker) else {
                parsed.append(byte)
                index += 1
                continue
            }
            guard let value = mappings[key] else {
                if key.utf8.allSatisfy(Self.isKeywordByte) { unresolved.append(Unresolved(keyword: key, offset: markerStart)) }
                parsed += bytes[index..<end]
                index = end
                continue
            }
            var matchStart = markerStart
            var matchEnd = end
            // `"@@KEY@@"` and `'@@KEY@@'`: the quotes go too, so a value can be any JSON.
            if marker == 0x40 && quoted && end < bytes.count && bytes[end] == byte {
                matchStart = index
                matchEnd = end + 1
            }
            if matchStart > index { parsed += bytes[index..<matchStart] }
            let replacement = marker == 0x40 ? Array(JSONWriter.string(value).utf8) : Array(Self.text(of: value).utf8)
            replacements.append(
                SourceText.Replacement(parsed: parsed.count..<parsed.count + replacement.count, original: matchStart..<matchEnd))
            parsed += replacement
            index = matchEnd
        }
        text = SourceText(original: bytes, parsed: parsed, replacements: replacements)
        self.unresolved = unresolved
    }

    /// True when `@@` or `##` occurs in `bytes`.
    private static func mayHoldKeyword(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var index = 1
            while index < buffer.count {
                let byte = buffer[index]
                if byte == 0x40 || byte == 0x23 {
                    if buffer[index - 1] == byte || (index + 1 < buffer.count && buffer[index + 1] == byte) { return true }
                    index += 2
                } else {
                    index += 1
                }
            }
            return false
        }
    }

    /// `@@KEY@@` or `##KEY##` starting at `start`: the key and the offset after it. A key is
    /// a run of bytes on one line without spaces, of at most 256 bytes.
    private static func keyword(in bytes: [UInt8], at start: Int, marker: UInt8) -> (String, Int)? {
        guard start + 1 < bytes.count, bytes[start] == marker, bytes[start + 1] == marker else { return nil }
        var index = start + 2
        while index < bytes.count && index - start < 260 {
            let byte = bytes[index]
            if byte == marker {
                guard index + 1 < bytes.count, bytes[index + 1] == marker, index > start + 2 else { return nil }
                return (String(decoding: bytes[(start + 2)..<index], as: UTF8.self), index + 2)
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return nil }
            index += 1
        }
        return nil
    }

    /// A value as JavaScript's `String(value)` writes it, which is what `##KEY##` puts in.
    private static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let string): return string
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.literal
        case .array(let items): return items.map { $0.isNull ? "" : text(of: $0) }.joined(separator: ",")
        case .object: return "[object Object]"
        }
    }
}
