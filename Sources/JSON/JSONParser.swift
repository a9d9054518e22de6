/// A strict RFC 8259 parser over UTF-8 bytes with a nesting limit.
///
/// Rejects what Auth0's API rejects and what a careful store must never hold: invalid
/// UTF-8, lone surrogate escapes, duplicate object keys, control characters in strings,
/// trailing garbage, nesting past `maxDepth` (the top level counts as 1) and, when asked,
/// more than `maxContainers` arrays and objects.
public struct JSONParser {
    /// API.md Limits: JSON nesting ≤ 64 levels.
    public static let defaultMaxDepth = 64

    /// The most arrays and objects, together and empty ones included, that a request body may
    /// hold (docs/DECISIONS.md, "Containers in a request body"). A connection has a few dozen;
    /// 1 MiB holds 524,000 nested arrays, which cost ~75 ms to build and free, one heap object
    /// each. Files given to `lint` have no such limit.
    public static let requestMaxContainers = 10_000

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private let maxContainers: Int
    private var containers = 0
    private var index = 0
    private var depth = 0
    private var positions: JSONPositions?
    private var path: [PathSegment] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxContainers: Int = .max, recordPositions: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.maxContainers = maxContainers
        self.positions = recordPositions ? JSONPositions() : nil
    }

    /// Parses one JSON document.
    public static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, maxContainers: Int = .max
    ) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth, maxContainers: maxContainers, recordPositions: false)
            return try parser.parseDocument()
        }
    }

    /// Parses one JSON document from a string.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Parses one document, handing the elements of one array to `visit` as soon as each is
    /// parsed instead of keeping them: the top-level array, or the array value of the
    /// top-level object's member named `member`. That array comes back empty; the rest of
    /// the document is returned whole. `visit` gets each element's path, value and byte range.
    ///
    /// The whole document is checked as `parse` checks it, so a fault may be thrown after
    /// some elements were visited. `lint` reads a file of 50,000 connections this way,
    /// holding one connection's tree at a time.
    public static func parse(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth, streamingElementsOf member: String,
        visit: (_ path: [PathSegment], _ element: JSONValue, _ range: Range<Int>) -> Void
    ) throws(JSONSyntaxError) -> JSONValue {
        try withoutActuallyEscaping(visit) { visit throws(JSONSyntaxError) -> JSONValue in
            try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) -> JSONValue in
                var parser = JSONParser(bytes: buffer, maxDepth: maxDepth, recordPositions: false)
                return try parser.parseDocument(streaming: Streaming(member: member, visit: visit))
            }
        }
    }

    /// Where streamed elements go (see `parse(_:maxDepth:streamingElementsOf:visit:)`).
    private struct Streaming {
        let member: String
        let visit: (_ path: [PathSegment], _ element: JSONValue, _ range: Range<Int>) -> Void
    }

    /// Parses one document and records where every value starts, for `lint` positions.
    public static func parseWithPositions(
        _ bytes: [UInt8], maxDepth: Int = defaultMaxDepth
    ) throws(JSONSyntaxError) -> (JSONValue, JSONPositions) {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
            var parser = JSONParser(bytes: buffer, maxDepth: maxDepth, recordPositions: true)
            let value = try parser.parseDocument()
            return (value, parser.positions ?? JSONPositions())
        }
    }

    // MARK: - Grammar

    /// `streaming` is given only by a streaming parse: its top-level array, or its top-level
    /// object's named member, is handed over element by element.
    private mutating func parseDocument(streaming: Streaming? = nil) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value: JSONValue
        switch (streaming, peek()) {
        case (let streaming?, UInt8(ascii: "[")): value = try streamElements(under: [], to: streaming)
        case (let streaming?, UInt8(ascii: "{")): value = try parseObject(streaming: streaming)
        default: value = try parseValue()
        }
        skipWhitespace()
        if index != bytes.count { throw fail("Unexpected data after the JSON value") }
        return value
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw fail("Unexpected end of input") }
        if positions != nil { positions?.record(path, offset: index, in: bytes) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("Unexpected character")
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > maxDepth { throw fail("Nesting deeper than \(maxDepth) levels") }
        containers += 1
        if containers > maxContainers { throw fail("More than \(maxContainers) arrays and objects") }
    }

    /// At an opener: enters a level and reads past the opener and any whitespace; true, with
    /// `closer` read and the level left, when that closer comes next (an empty container).
    @inline(__always)
    private mutating func open(emptyIfNext closer: UInt8) throws(JSONSyntaxError) -> Bool {
        try enter()
        index += 1
        skipWhitespace()
        guard peek() == closer else { return false }
        close()
        return true
    }

    /// Reads past a closer and leaves its level.
    @inline(__always)
    private mutating func close() {
        index += 1
        depth -= 1
    }

    /// `streaming` is given only for the top-level object of a streaming parse.
    private mutating func parseObject(streaming: Streaming? = nil) throws(JSONSyntaxError) -> JSONValue {
        // No storage for an empty object (a hostile body holds 100,000 of them).
        if try open(emptyIfNext: UInt8(ascii: "}")) { return .object(JSONObject()) }
        // A member goes in once the byte after it is read: an object of one member gets
        // storage for exactly one (a nested hostile body holds 262,000 of them), the others
        // room for four at the second member, as most objects of a connection have a few.
        var members: [JSONObject.Member] = []
        // Past a few dozen members, duplicates are found by hash, not by scanning: 100,000
        // keys scanned pairwise took 25 s of CPU (issue 10). The index goes to the object.
        var keyIndex: JSONObject.KeyIndex?
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail("Expected a string key") }
            let keyStart = index
            let key = try parseString()
            // RFC 8259 §4 leaves duplicate names undefined; we refuse them (API.md). Names
            // compare by code units (§8.3), lengths first.
            let duplicate: Bool
            if keyIndex != nil {
                duplicate = keyIndex?.insert(key, at: members.count, in: members) == false
            } else {
                let length = key.utf8.count
                duplicate = members.contains(where: { $0.key.utf8.count == length && JSONObject.sameBytes($0.key, key) })
                if !duplicate && members.count == JSONObject.indexThreshold {
                    keyIndex = JSONObject.KeyIndex(members)
                    // Placed before the member is appended: the probe only reads earlier members.
                    keyIndex?.insert(key, at: members.count, in: members)
                }
            }
            if duplicate {
                index = keyStart
                throw fail("Duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw fail("Expected ':' after an object key") }
            index += 1
            skipWhitespace()
            if positions != nil { path.append(.key(key)) }
            let value: JSONValue
            if let streaming, peek() == UInt8(ascii: "["), JSONObject.sameBytes(key, streaming.member) {
                value = try streamElements(under: [.key(key)], to: streaming)
            } else {
                value = try parseValue()
            }
            if positions != nil { path.removeLast() }
            skipWhitespace()
            if members.isEmpty {
                if peek() == UInt8(ascii: "}") {
                    close()
                    return .object(JSONObject(members: [JSONObject.Member(key: key, value: value)], index: nil))
                }
                members.reserveCapacity(4)
            }
            members.append(JSONObject.Member(key: key, value: value))
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                close()
                return .object(JSONObject(members: members, index: keyIndex))
            default: throw fail("Expected ',' or '}' in an object")
            }
        }
    }

    /// Like `parseObject`, an element goes in once the byte after it is read: an array of one
    /// element is allocated for exactly one (a nested hostile body holds 524,000 of them).
    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        if try open(emptyIfNext: UInt8(ascii: "]")) { return .array([]) }
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            if positions != nil { path.append(.index(elements.count)) }
            let element = try parseValue()
            if positions != nil { path.removeLast() }
            skipWhitespace()
            if elements.isEmpty {
                if peek() == UInt8(ascii: "]") {
                    close()
                    return .array([element])
                }
                elements.reserveCapacity(4)
            }
            elements.append(element)
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                close()
                return .array(elements)
            default: throw fail("Expected ',' or ']' in an array")
            }
        }
    }

    /// At a `[`: hands each element to `streaming` instead of keeping it; an empty array stands
    /// for it in the document.
    private mutating func streamElements(under path: [PathSegment], to streaming: Streaming) throws(JSONSyntaxError) -> JSONValue {
        var count = 0
        try parseElements { element, range in
            streaming.visit(path + [.index(count)], element, range)
            count += 1
        }
        return .array([])
    }

    /// At a `[`: parses each element and hands it to `body` with its byte range, through the
    /// closing `]`.
    private mutating func parseElements(
        _ body: (JSONValue, Range<Int>) -> Void
    ) throws(JSONSyntaxError) {
        if try open(emptyIfNext: UInt8(ascii: "]")) { return }
        var count = 0
        while true {
            skipWhitespace()
            if positions != nil { path.append(.index(count)) }
            let start = index
            let element = try parseValue()
            body(element, start..<index)
            count += 1
            if positions != nil { path.removeLast() }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                close()
                return
            default: throw fail("Expected ',' or ']' in an array")
            }
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(peek()) {
            while isDigit(peek()) { index += 1 }
        } else {
            throw fail("Invalid number")
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard isDigit(peek()) else { throw fail("Invalid number") }
            while isDigit(peek()) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard isDigit(peek()) else { throw fail("Invalid number") }
            while isDigit(peek()) { index += 1 }
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(literal: literal)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes, ASCII only; a local cursor keeps the loop in registers.
        var cursor = index
        let end = bytes.count
        // Eight bytes at a time up to the first that is not plain ASCII (the closing quote, say);
        // not for a string that starts with an escape (a key spelled `\u006b…`), which goes to
        // the loop below at once.
        while cursor + 8 <= end && bytes[cursor] != UInt8(ascii: "\\") {
            let flags = ByteWord(bytes, at: cursor).needingEscapeOrNotASCII
            if flags != 0 {
                cursor += ByteWord.first(flags)
                break
            }
            cursor += 8
        }
        while cursor < end {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") {
                index = cursor + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cursor]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 || byte < 0x20 { break }
            cursor += 1
        }
        // Escapes or non-ASCII text: the decoded string is built as UTF-8 bytes, made a
        // `String` once at the end (appending scalar by scalar cost ~4× as much).
        index = cursor
        var utf8: [UInt8] = []
        utf8.reserveCapacity(cursor - start + 32)
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw fail("Unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                appendUTF8(of: try parseEscape(), to: &utf8)
            case 0..<0x20:
                throw fail("Control character in a string")
            case 0..<0x80:
                utf8.append(byte)
                index += 1
            default:
                // Checked here, then copied as it is: valid UTF-8 needs no re-encoding.
                let sequenceStart = index
                _ = try decodeUTF8Scalar()
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<index]))
            }
        }
    }

    /// RFC 3629 §3, byte by byte (`append(contentsOf: UTF8.encode(scalar)!)` cost ~75
    /// instructions a scalar through its `_ValidUTF8Buffer`, callgrind).
    @inline(__always)
    private func appendUTF8(of scalar: Unicode.Scalar, to utf8: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            utf8.append(UInt8(value))
        case 0x80..<0x800:
            utf8.append(UInt8(0xC0 | value >> 6))
            utf8.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            utf8.append(UInt8(0xE0 | value >> 12))
            utf8.append(UInt8(0x80 | value >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | value & 0x3F))
        default:
            utf8.append(UInt8(0xF0 | value >> 18))
            utf8.append(UInt8(0x80 | value >> 12 & 0x3F))
            utf8.append(UInt8(0x80 | value >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | value & 0x3F))
        }
    }

    private mutating func parseEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        guard index < bytes.count else { throw fail("Unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800...0xDBFF).contains(high) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail("Lone surrogate in a \\u escape") }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("Lone surrogate in a \\u escape") }
                let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                return Unicode.Scalar(value)!
            }
            guard let scalar = Unicode.Scalar(high) else { throw fail("Lone surrogate in a \\u escape") }
            return scalar
        default:
            index -= 1
            throw fail("Invalid escape")
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("Invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("Invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Decodes one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and
    /// values past U+10FFFF (RFC 3629 §4).
    private mutating func decodeUTF8Scalar() throws(JSONSyntaxError) -> Unicode.Scalar {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0: length = 3; value = UInt32(lead & 0x0F); lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xED: length = 3; value = UInt32(lead & 0x0F); upperBound = 0x9F
        case 0xF0: length = 4; value = UInt32(lead & 0x07); lowerBound = 0x90
        case 0xF1...0xF3: length = 4; value = UInt32(lead & 0x07)
        case 0xF4: length = 4; value = UInt32(lead & 0x07); upperBound = 0x8F
        default: throw fail("Invalid UTF-8")
        }
        guard index + length <= bytes.count else { throw fail("Invalid UTF-8") }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            let low = offset == 1 ? lowerBound : 0x80
            let high = offset == 1 ? upperBound : 0xBF
            guard byte >= low && byte <= high else { throw fail("Invalid UTF-8") }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        index += length
        return Unicode.Scalar(value)!
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("Invalid literal") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        // The fault is reported at the start of the literal, where a reader looks for it.
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw fail("Invalid literal")
        }
        index += count
    }

    // MARK: - Helpers

    @inline(__always)
    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        var cursor = index
        let end = bytes.count
        while cursor < end {
            switch bytes[cursor] {
            case 0x20, 0x09, 0x0A, 0x0D: cursor += 1
            default:
                index = cursor
                return
            }
        }
        index = cursor
    }

    private func fail(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, position: SourcePosition(offset: min(index, bytes.count), in: bytes))
    }
}
