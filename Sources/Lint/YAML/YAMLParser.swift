import JSON
import Validation

/// Reads one YAML 1.2 document into a JSON value, recording where every value starts.
///
/// The YAML that configuration files use (CLI.md bounds it): block mappings and sequences,
/// flow `[...]` and `{...}`, plain, single- and double-quoted scalars, literal `|` and
/// folded `>` block scalars, comments, one optional `---` and a closing `...`. Plain
/// scalars resolve by the core schema (`YAMLCoreSchema`). What this reader does not take it
/// refuses at its position, never misreads: anchors and aliases, tags, directives, complex
/// `?` keys, collections as keys, several documents, duplicate keys, tabs as indentation.
///
/// Positions follow `JSONParser`'s: 1-based lines and columns counted in Unicode scalars.
/// A collection starts where its first entry does (a block sequence at its first `-`, a
/// block mapping at its first key), a block scalar at its `|` or `>`, and an empty value
/// (`key:` with nothing after it) at its key.
public struct YAMLParser {
    private let bytes: [UInt8]
    private let limits: YAMLLimits
    private var cursor = Cursor()
    private var depth = 0
    private var positions = JSONPositions()
    private var path: [PathSegment] = []

    /// Where reading is: the byte, and the line it is on.
    private struct Cursor {
        var index = 0
        var line = 1
        var lineStart = 0
    }

    private init(bytes: [UInt8], limits: YAMLLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses one document: its value, and where each value (by path) starts.
    public static func parse(
        _ bytes: [UInt8], limits: YAMLLimits = YAMLLimits()
    ) throws(YAMLSyntaxError) -> (JSONValue, JSONPositions) {
        var parser = YAMLParser(bytes: bytes, limits: limits)
        guard bytes.count <= limits.maxBytes else {
            throw parser.fail("The file is larger than \(limits.maxBytes) bytes")
        }
        try parser.checkCharacters()
        // About one value per line of a configuration file, and lines of 20-30 bytes.
        parser.positions.reserveCapacity(bytes.count / 16)
        let value = try parser.parseDocument()
        return (value, parser.positions)
    }

    /// YAML 1.2 §5.1: a stream is Unicode (here UTF-8) of printable characters; C0 controls
    /// other than tab, line feed and carriage return, and DEL, are not allowed.
    private mutating func checkCharacters() throws(YAMLSyntaxError) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
                    throw at(index, "Control characters are not allowed in YAML")
                }
                index += 1
                continue
            }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; second = 0x80...0x8F
            default: throw at(index, "Invalid UTF-8")
            }
            guard index + length <= bytes.count, second.contains(bytes[index + 1]),
                bytes[(index + 2)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 })
            else { throw at(index, "Invalid UTF-8") }
            index += length
        }
    }

    /// An error at a byte offset, its line and column counted from the start.
    private mutating func at(_ offset: Int, _ reason: String) -> YAMLSyntaxError {
        while cursor.index < offset {
            nextByte()
        }
        return fail(reason)
    }

    // MARK: - Documents

    private mutating func parseDocument() throws(YAMLSyntaxError) -> JSONValue {
        try skipToContent()
        if at("%") && column == 1 { throw fail("YAML directives (%) are not supported") }
        let start = here
        var value: JSONValue?
        if isDocumentMarker("---") {
            advance(by: 3)
            skipSpaces()
            if !restOfLineIsEmpty() {
                value = try parseNode(parentIndent: -1)
            } else {
                try skipToContent()
            }
        }
        if value == nil && !atEnd && !isDocumentMarker("...") && !isDocumentMarker("---") {
            value = try parseNode(parentIndent: -1)
        }
        if value == nil { positions.record([], at: start) }
        if isDocumentMarker("...") {
            advance(by: 3)
            try skipToContent()
        }
        if isDocumentMarker("---") { throw fail("Several documents in one file are not supported") }
        if !atEnd { throw fail("Unexpected content after the document") }
        return value ?? .null
    }

    /// `---` or `...` at the start of a line, followed by a space or the end of the line.
    private func isDocumentMarker(_ marker: StaticString) -> Bool {
        guard column == 1, cursor.index + 3 <= bytes.count else { return false }
        let text = marker.withUTF8Buffer { Array($0) }
        guard Array(bytes[cursor.index..<cursor.index + 3]) == text else { return false }
        return cursor.index + 3 == bytes.count || isSpaceOrBreak(bytes[cursor.index + 3])
    }

    // MARK: - Block nodes

    /// A node at the cursor (at its first character, on its own line or after `- ` or
    /// `key: `) inside a block whose indentation is `parentIndent`. Returns with the cursor
    /// at the next content line.
    private mutating func parseNode(parentIndent: Int) throws(YAMLSyntaxError) -> JSONValue {
        try refuseUnsupported()
        let indent = column - 1
        if at("-") && isSpaceOrBreak(peek(1)) {
            return try parseBlockSequence(indent: indent)
        }
        if at("|") || at(">") {
            positions.record(path, at: here)
            return .string(try parseBlockScalar(parentIndent: parentIndent))
        }
        if at("[") || at("{") {
            let start = here
            let value = try parseFlowNode()
            skipSpaces()
            if at(":") { throw YAMLSyntaxError("Collections as mapping keys are not supported", at: start) }
            try endOfLine()
            return value
        }
        if try keyAhead() != nil {
            return try parseBlockMapping(indent: indent)
        }
        let start = here
        positions.record(path, at: start)
        let value: JSONValue
        if at("\"") || at("'") {
            value = .string(try parseQuoted())
            try endOfLine()
        } else {
            let text = try parsePlain(parentIndent: parentIndent)
            guard let resolved = YAMLCoreSchema.resolve(text) else {
                throw YAMLSyntaxError("\(text) has no JSON equivalent", at: start)
            }
            value = resolved
        }
        return value
    }

    private mutating func parseBlockSequence(indent: Int) throws(YAMLSyntaxError) -> JSONValue {
        try enter()
        positions.record(path, at: here)
        var items: [JSONValue] = []
        while !atEnd && column - 1 == indent && at("-") && isSpaceOrBreak(peek(1)) {
            let dash = here
            advance(by: 1)
            skipSpaces()
            path.append(.index(items.count))
            if restOfLineIsEmpty() {
                try skipToContent()
                if !atEnd && column - 1 > indent && !isDocumentMarker("---") && !isDocumentMarker("...") {
                    items.append(try parseNode(parentIndent: indent))
                } else {
                    positions.record(path, at: dash)
                    items.append(.null)
                }
            } else {
                items.append(try parseNode(parentIndent: indent))
            }
            path.removeLast()
            if !atEnd && column - 1 > indent && !isDocumentMarker("---") && !isDocumentMarker("...") {
                throw fail("Unexpected indentation in a sequence")
            }
        }
        depth -= 1
        return .array(items)
    }

    private mutating func parseBlockMapping(indent: Int) throws(YAMLSyntaxError) -> JSONValue {
        try enter()
        positions.record(path, at: here)
        var members: [JSONObject.Member] = []
        var object = JSONObject()
        while !atEnd && column - 1 == indent && !isDocumentMarker("---") && !isDocumentMarker("...") {
            try refuseUnsupported()
            let keyStart = here
            guard let key = try keyAhead() else { throw fail("Expected a mapping key (key: value)") }
            if object.contains(key.text) { throw YAMLSyntaxError("Duplicate key '\(key.text)'", at: keyStart) }
            cursor = key.after
            skipSpaces()
            path.append(.key(key.text))
            let value: JSONValue
            if restOfLineIsEmpty() {
                try skipToContent()
                let more = !atEnd && !isDocumentMarker("---") && !isDocumentMarker("...")
                if more && column - 1 > indent {
                    value = try parseNode(parentIndent: indent)
                } else if more && column - 1 == indent && at("-") && isSpaceOrBreak(peek(1)) {
                    value = try parseBlockSequence(indent: indent)
                } else {
                    positions.record(path, at: keyStart)
                    value = .null
                }
            } else {
                if at("-") && isSpaceOrBreak(peek(1)) {
                    throw fail("A sequence must start on the line after its key")
                }
                if try keyAhead() != nil { throw fail("A mapping must start on the line after its key") }
                value = try parseNode(parentIndent: indent)
            }
            path.removeLast()
            object[key.text] = value
            members.append(JSONObject.Member(key: key.text, value: value))
            if !atEnd && column - 1 > indent && !isDocumentMarker("---") && !isDocumentMarker("...") {
                throw fail("Unexpected indentation in a mapping")
            }
        }
        depth -= 1
        return .object(JSONObject(members: members))
    }

    /// A mapping key on the current line (plain or quoted, followed by `:` and a space or
    /// the end of the line): its text and the cursor after the `:`, without moving.
    private mutating func keyAhead() throws(YAMLSyntaxError) -> (text: String, after: Cursor)? {
        let saved = cursor
        defer { cursor = saved }
        let text: String
        if at("\"") || at("'") {
            let line = cursor.line
            text = try parseQuoted()
            guard cursor.line == line else { return nil }
            skipSpaces()
        } else {
            guard let plain = plainLine(flow: false), !plain.isEmpty else { return nil }
            text = plain
        }
        guard at(":") && isSpaceOrBreak(peek(1)) else { return nil }
        advance(by: 1)
        return (text, cursor)
    }

    // MARK: - Scalars

    /// A plain scalar in block context, folded over the lines that continue it (more
    /// indented than `parentIndent`).
    private mutating func parsePlain(parentIndent: Int) throws(YAMLSyntaxError) -> String {
        var text = plainLine(flow: false) ?? ""
        while true {
            if at(":") && isSpaceOrBreak(peek(1)) { throw fail("Mapping values are not allowed here") }
            skipSpaces()
            // A comment ends a plain scalar; so does a line that is not more indented.
            guard atLineEnd else {
                try endOfLine()
                return text
            }
            let saved = cursor
            var breaks = 0
            nextLine()
            while !atEnd {
                skipSpaces()
                guard atLineEnd else { break }
                breaks += 1
                nextLine()
            }
            guard !atEnd, column - 1 > parentIndent, !at("#"), !isDocumentMarker("---"), !isDocumentMarker("...") else {
                cursor = saved
                try skipToContent()
                return text
            }
            text += breaks == 0 ? " " : String(repeating: "\n", count: breaks)
            text += plainLine(flow: false, continuing: true) ?? ""
        }
    }

    /// The plain text from the cursor to the end of the line, a ` #` comment, a `: ` (and in
    /// flow context a `,`, `[`, `]`, `{`, `}` or `:` before one of them), without trailing
    /// spaces; `nil` when the cursor is at an indicator that cannot start a plain scalar.
    private mutating func plainLine(flow: Bool, continuing: Bool = false) -> String? {
        guard !atEnd else { return nil }
        let first = bytes[cursor.index]
        switch continuing ? 0 : first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            let next = peek(1)
            if isSpaceOrBreak(next) || (flow && isFlowIndicator(next)) { return nil }
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
            UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"), 0x0A, 0x0D:
            return nil
        default:
            break
        }
        let start = cursor.index
        var end = start
        while !atEnd {
            let byte = bytes[cursor.index]
            if byte == 0x0A || byte == 0x0D { break }
            if byte == UInt8(ascii: ":") && (isSpaceOrBreak(peek(1)) || (flow && isFlowIndicator(peek(1)))) { break }
            if flow && isFlowIndicator(byte) { break }
            if byte == UInt8(ascii: "#") && cursor.index > start && isSpace(bytes[cursor.index - 1]) { break }
            cursor.index += 1
            if !isSpace(byte) { end = cursor.index }
        }
        // Trailing spaces are not part of the scalar; the cursor stays after them.
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// A single- or double-quoted scalar, over as many lines as it takes (line breaks fold
    /// to a space, empty lines to line feeds).
    private mutating func parseQuoted() throws(YAMLSyntaxError) -> String {
        let start = here
        let quote = bytes[cursor.index]
        let double = quote == UInt8(ascii: "\"")
        advance(by: 1)
        var text: [UInt8] = []
        while true {
            guard !atEnd else { throw YAMLSyntaxError("Unterminated quoted scalar", at: start) }
            let byte = bytes[cursor.index]
            if byte == quote {
                if !double && peek(1) == quote {
                    text.append(quote)
                    advance(by: 2)
                    continue
                }
                advance(by: 1)
                return String(decoding: text, as: UTF8.self)
            }
            if byte == 0x0A || byte == 0x0D {
                while let last = text.last, isSpace(last) { text.removeLast() }
                var breaks = 0
                while !atEnd && (bytes[cursor.index] == 0x0A || bytes[cursor.index] == 0x0D) {
                    if bytes[cursor.index] == 0x0A { breaks += 1 }
                    nextByte()
                    skipSpaces()
                }
                if isDocumentMarker("---") || isDocumentMarker("...") {
                    throw YAMLSyntaxError("Unterminated quoted scalar", at: start)
                }
                text += breaks <= 1 ? [0x20] : Array(repeating: 0x0A, count: breaks - 1)
                continue
            }
            if double && byte == UInt8(ascii: "\\") {
                try escape(into: &text)
                continue
            }
            text.append(byte)
            cursor.index += 1
        }
    }

    /// One escape of a double-quoted scalar (YAML 1.2 §5.7), the cursor at its `\`.
    private mutating func escape(into text: inout [UInt8]) throws(YAMLSyntaxError) {
        let start = here
        advance(by: 1)
        guard !atEnd else { throw YAMLSyntaxError("Unterminated quoted scalar", at: start) }
        let code = bytes[cursor.index]
        advance(by: 1)
        let simple: [UInt8: UInt32] = [
            UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, 0x09: 9,
            UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
            UInt8(ascii: "e"): 0x1B, 0x20: 0x20, UInt8(ascii: "\""): 0x22, UInt8(ascii: "/"): 0x2F,
            UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "N"): 0x85, UInt8(ascii: "_"): 0xA0, UInt8(ascii: "L"): 0x2028,
            UInt8(ascii: "P"): 0x2029,
        ]
        var scalar: UInt32
        if let value = simple[code] {
            scalar = value
        } else if code == 0x0A || code == 0x0D {
            // An escaped line break joins the lines without a space. Lines are counted by
            // their line feeds, as everywhere else (a lone CR does not start one).
            if code == 0x0D && peek(0) == 0x0A { cursor.index += 1 }
            if code == 0x0A || bytes[cursor.index - 1] == 0x0A {
                cursor.line += 1
                cursor.lineStart = cursor.index
            }
            skipSpaces()
            return
        } else {
            let length: Int
            switch code {
            case UInt8(ascii: "x"): length = 2
            case UInt8(ascii: "u"): length = 4
            case UInt8(ascii: "U"): length = 8
            default: throw YAMLSyntaxError("Unknown escape in a double-quoted scalar", at: start)
            }
            scalar = try hexDigits(length, escapeAt: start)
        }
        // A UTF-16 surrogate pair written as two `\u` escapes (as JSON writes characters
        // outside the BMP) is one character.
        if (0xD800...0xDBFF).contains(scalar) && peek(0) == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "u") {
            let saved = cursor
            advance(by: 2)
            let low = try hexDigits(4, escapeAt: start)
            if (0xDC00...0xDFFF).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
                cursor = saved
            }
        }
        guard let unicode = Unicode.Scalar(scalar) else {
            throw YAMLSyntaxError("The escape names no Unicode scalar", at: start)
        }
        text += Array(String(Character(unicode)).utf8)
    }

    private mutating func hexDigits(_ length: Int, escapeAt start: SourcePosition) throws(YAMLSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<length {
            guard !atEnd, let digit = Character(Unicode.Scalar(bytes[cursor.index])).hexDigitValue else {
                throw YAMLSyntaxError("Malformed escape in a double-quoted scalar", at: start)
            }
            value = value * 16 + UInt32(digit)
            cursor.index += 1
        }
        return value
    }

    /// A literal (`|`) or folded (`>`) block scalar, the cursor at its indicator
    /// (YAML 1.2 §8.1). Its lines are those indented at least as much as its first
    /// non-empty one (or as the indentation indicator says).
    private mutating func parseBlockScalar(parentIndent: Int) throws(YAMLSyntaxError) -> String {
        let literal = at("|")
        advance(by: 1)
        var chomping: UInt8?
        var indicator: Int?
        for _ in 0..<2 {
            if at("-") || at("+") {
                guard chomping == nil else { throw fail("Two chomping indicators") }
                chomping = bytes[cursor.index]
                advance(by: 1)
            } else if !atEnd, bytes[cursor.index] >= UInt8(ascii: "1"), bytes[cursor.index] <= UInt8(ascii: "9") {
                guard indicator == nil else { throw fail("Two indentation indicators") }
                indicator = Int(bytes[cursor.index] - UInt8(ascii: "0"))
                advance(by: 1)
            }
        }
        skipSpaces()
        guard restOfLineIsEmpty() else { throw fail("Unexpected text after a block scalar indicator") }
        nextLine()
        let minimum = max(parentIndent + 1, 1)
        var indent = indicator.map { minimum + $0 - 1 }
        var lines: [[UInt8]] = []
        var trailingBreaks = 0
        while !atEnd {
            let lineStart = cursor.index
            var spaces = 0
            while lineStart + spaces < bytes.count && bytes[lineStart + spaces] == 0x20 { spaces += 1 }
            let contentStart = lineStart + spaces
            var lineEnd = contentStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var content = Array(bytes[contentStart..<lineEnd])
            if content.last == 0x0D { content.removeLast() }
            let blank = content.allSatisfy(isSpace)
            if blank {
                // An empty line belongs to the scalar; its spaces past the indentation too.
                if let indent, spaces > indent {
                    lines.append(Array(repeating: 0x20, count: spaces - indent) + content)
                    trailingBreaks = 0
                } else {
                    lines.append([])
                    trailingBreaks += 1
                }
                nextLine()
                continue
            }
            if indent == nil { indent = max(spaces, minimum) }
            guard let contentIndent = indent, spaces >= contentIndent else { break }
            if column == 1 && (isMarker(at: lineStart, "---") || isMarker(at: lineStart, "...")) { break }
            lines.append(Array(repeating: 0x20, count: spaces - contentIndent) + content)
            trailingBreaks = 0
            nextLine()
        }
        // The trailing empty lines are chomped, not content.
        let body = Array(lines.dropLast(trailingBreaks))
        var text: [UInt8] = literal ? Self.joinLiteral(body) : Self.fold(body)
        switch chomping {
        case UInt8(ascii: "-"): break
        case UInt8(ascii: "+"): text += Array(repeating: 0x0A, count: (body.isEmpty ? 0 : 1) + trailingBreaks)
        default: if !body.isEmpty { text.append(0x0A) }
        }
        try skipToContent()
        return String(decoding: text, as: UTF8.self)
    }

    private static func joinLiteral(_ lines: [[UInt8]]) -> [UInt8] {
        var text: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if index > 0 { text.append(0x0A) }
            text += line
        }
        return text
    }

    /// Folding (§8.1.3): a break between two text lines becomes a space; a run of empty
    /// lines between them stays as that many line feeds; breaks around a more-indented line
    /// (one starting with a space or tab) are kept.
    private static func fold(_ lines: [[UInt8]]) -> [UInt8] {
        var text: [UInt8] = []
        var previous: [UInt8]?
        var empties = 0
        for line in lines {
            if line.isEmpty {
                if previous == nil {
                    text.append(0x0A)
                } else {
                    empties += 1
                }
                continue
            }
            if let before = previous {
                let moreIndented = { (line: [UInt8]) in line.first == 0x20 || line.first == 0x09 }
                if moreIndented(before) || moreIndented(line) {
                    text += Array(repeating: 0x0A, count: empties + 1)
                } else {
                    text += empties == 0 ? [0x20] : Array(repeating: 0x0A, count: empties)
                }
            }
            text += line
            previous = line
            empties = 0
        }
        return text
    }

    // MARK: - Flow collections

    private mutating func parseFlowNode() throws(YAMLSyntaxError) -> JSONValue {
        try skipFlowSpace()
        try refuseUnsupported()
        let start = here
        positions.record(path, at: start)
        if at("[") { return try parseFlowSequence() }
        if at("{") { return try parseFlowMapping() }
        if at("\"") || at("'") { return .string(try parseQuoted()) }
        guard let text = try flowPlain() else { throw fail("Expected a value") }
        guard let value = YAMLCoreSchema.resolve(text) else {
            throw YAMLSyntaxError("\(text) has no JSON equivalent", at: start)
        }
        return value
    }

    /// A plain scalar in flow context, folded over line breaks.
    private mutating func flowPlain() throws(YAMLSyntaxError) -> String? {
        guard var text = plainLine(flow: true) else { return nil }
        while !atEnd && (bytes[cursor.index] == 0x0A || bytes[cursor.index] == 0x0D) {
            let saved = cursor
            var breaks = 0
            while !atEnd && (bytes[cursor.index] == 0x0A || bytes[cursor.index] == 0x0D || isSpace(bytes[cursor.index])) {
                if bytes[cursor.index] == 0x0A { breaks += 1 }
                nextByte()
            }
            guard let more = plainLine(flow: true), !more.isEmpty else {
                cursor = saved
                break
            }
            text += breaks <= 1 ? " " : String(repeating: "\n", count: breaks - 1)
            text += more
        }
        return text
    }

    private mutating func parseFlowSequence() throws(YAMLSyntaxError) -> JSONValue {
        try enter()
        advance(by: 1)
        var items: [JSONValue] = []
        while true {
            try skipFlowSpace()
            if at("]") { break }
            path.append(.index(items.count))
            let start = here
            var item = try parseFlowNode()
            try skipFlowSpace()
            if at(":") {
                // `[key: value]`: a single-pair mapping.
                guard case .string(let key) = item else { throw fail("Collections as mapping keys are not supported") }
                advance(by: 1)
                path.append(.key(key))
                try skipFlowSpace()
                var value: JSONValue = .null
                if at(",") || at("]") {
                    positions.record(path, at: start)
                } else {
                    value = try parseFlowNode()
                }
                path.removeLast()
                item = .object([key: value])
                positions.record(path, at: start)
                try skipFlowSpace()
            }
            path.removeLast()
            items.append(item)
            guard at(",") else { break }
            advance(by: 1)
        }
        try leaveFlow(closing: "]", "sequence")
        return .array(items)
    }

    private mutating func parseFlowMapping() throws(YAMLSyntaxError) -> JSONValue {
        try enter()
        advance(by: 1)
        var object = JSONObject()
        var members: [JSONObject.Member] = []
        while true {
            try skipFlowSpace()
            if at("}") { break }
            try refuseUnsupported()
            let keyStart = here
            let key: String
            if at("\"") || at("'") {
                key = try parseQuoted()
            } else if at("[") || at("{") {
                throw fail("Collections as mapping keys are not supported")
            } else {
                guard let plain = try flowPlain() else { throw fail("Expected a mapping key") }
                key = plain
            }
            if object.contains(key) { throw YAMLSyntaxError("Duplicate key '\(key)'", at: keyStart) }
            try skipFlowSpace()
            path.append(.key(key))
            var value: JSONValue = .null
            if at(":") {
                advance(by: 1)
                try skipFlowSpace()
                if at(",") || at("}") {
                    positions.record(path, at: keyStart)
                } else {
                    value = try parseFlowNode()
                }
            } else {
                positions.record(path, at: keyStart)
            }
            path.removeLast()
            object[key] = value
            members.append(JSONObject.Member(key: key, value: value))
            try skipFlowSpace()
            guard at(",") else { break }
            advance(by: 1)
        }
        try leaveFlow(closing: "}", "mapping")
        return .object(JSONObject(members: members))
    }

    /// Past the bracket that closes a flow collection, back at the enclosing depth; anything
    /// else after an entry is an error.
    private mutating func leaveFlow(closing: Unicode.Scalar, _ collection: String) throws(YAMLSyntaxError) {
        guard at(closing) else { throw fail("Expected ',' or '\(closing)' in a flow \(collection)") }
        advance(by: 1)
        depth -= 1
    }

    /// Spaces, line breaks and comments between flow entries.
    private mutating func skipFlowSpace() throws(YAMLSyntaxError) {
        while !atEnd {
            let byte = bytes[cursor.index]
            if isSpace(byte) || byte == 0x0D {
                cursor.index += 1
            } else if byte == 0x0A {
                nextByte()
                if isDocumentMarker("---") || isDocumentMarker("...") { throw fail("Unterminated flow collection") }
            } else if byte == UInt8(ascii: "#") {
                while !atEnd && bytes[cursor.index] != 0x0A { cursor.index += 1 }
            } else {
                return
            }
        }
        throw fail("Unterminated flow collection")
    }

    // MARK: - Refused constructs and limits

    private func refuseUnsupported() throws(YAMLSyntaxError) {
        guard !atEnd else { return }
        switch bytes[cursor.index] {
        case UInt8(ascii: "&"): throw fail("Anchors (&) are not supported: write the value out")
        case UInt8(ascii: "*"): throw fail("Aliases (*) are not supported: write the value out")
        case UInt8(ascii: "!"): throw fail("Tags (!) are not supported")
        case UInt8(ascii: "?") where isSpaceOrBreak(peek(1)): throw fail("Complex mapping keys (?) are not supported")
        case UInt8(ascii: "@"), UInt8(ascii: "`"): throw fail("Reserved indicator")
        case UInt8(ascii: "%") where column == 1: throw fail("YAML directives (%) are not supported")
        case 0x09: throw fail("Tabs are not allowed for indentation")
        default: return
        }
    }

    private mutating func enter() throws(YAMLSyntaxError) {
        depth += 1
        if depth > limits.maxDepth { throw fail("Nesting deeper than \(limits.maxDepth) levels") }
    }

    // MARK: - Cursor

    private var atEnd: Bool { cursor.index >= bytes.count }
    private var atLineEnd: Bool { atEnd || bytes[cursor.index] == 0x0A || bytes[cursor.index] == 0x0D }

    private func at(_ character: Unicode.Scalar) -> Bool {
        !atEnd && bytes[cursor.index] == UInt8(ascii: character)
    }

    private func peek(_ offset: Int) -> UInt8? {
        cursor.index + offset < bytes.count ? bytes[cursor.index + offset] : nil
    }

    private func isMarker(at index: Int, _ marker: StaticString) -> Bool {
        guard index + 3 <= bytes.count else { return false }
        let text = marker.withUTF8Buffer { Array($0) }
        return Array(bytes[index..<index + 3]) == text && (index + 3 == bytes.count || isSpaceOrBreak(bytes[index + 3]))
    }

    /// 1-based column of the cursor, in Unicode scalars.
    private var column: Int {
        var count = 1
        for index in cursor.lineStart..<min(cursor.index, bytes.count) where bytes[index] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private var here: SourcePosition {
        SourcePosition(offset: cursor.index, line: cursor.line, column: column)
    }

    private func fail(_ reason: String) -> YAMLSyntaxError {
        YAMLSyntaxError(reason, at: here)
    }

    /// Moves over `count` bytes of one line.
    private mutating func advance(by count: Int) {
        cursor.index = min(cursor.index + count, bytes.count)
    }

    /// Moves over one byte, counting a line feed.
    private mutating func nextByte() {
        if bytes[cursor.index] == 0x0A {
            cursor.line += 1
            cursor.lineStart = cursor.index + 1
        }
        cursor.index += 1
    }

    /// Moves to the start of the next line.
    private mutating func nextLine() {
        while !atEnd && bytes[cursor.index] != 0x0A { cursor.index += 1 }
        if !atEnd { nextByte() }
    }

    private mutating func skipSpaces() {
        while !atEnd && isSpace(bytes[cursor.index]) { cursor.index += 1 }
    }

    /// True when only spaces and a comment are left on the line (the cursor after spaces).
    private func restOfLineIsEmpty() -> Bool {
        var index = cursor.index
        while index < bytes.count && isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return true }
        let byte = bytes[index]
        return byte == 0x0A || byte == 0x0D || (byte == UInt8(ascii: "#") && (index == cursor.index || index > cursor.lineStart))
    }

    /// After a value: only spaces and a comment may follow on its line.
    private mutating func endOfLine() throws(YAMLSyntaxError) {
        skipSpaces()
        guard restOfLineIsEmpty() else { throw fail("Unexpected text after a value") }
        try skipToContent()
    }

    /// Moves past the rest of the line and any empty or comment lines, to the first
    /// character of the next line with content (or the end). Indentation is spaces only.
    private mutating func skipToContent() throws(YAMLSyntaxError) {
        if cursor.index > cursor.lineStart || (cursor.index < bytes.count && restOfLineIsEmpty()) {
            skipSpaces()
            if restOfLineIsEmpty() {
                nextLine()
            } else {
                return
            }
        }
        while !atEnd {
            var index = cursor.index
            while index < bytes.count && bytes[index] == 0x20 { index += 1 }
            if index < bytes.count && bytes[index] == 0x09 {
                var after = index
                while after < bytes.count && isSpace(bytes[after]) { after += 1 }
                if after < bytes.count && bytes[after] != 0x0A && bytes[after] != 0x0D && bytes[after] != UInt8(ascii: "#") {
                    cursor.index = index
                    throw fail("Tabs are not allowed for indentation")
                }
            }
            cursor.index = index
            if restOfLineIsEmpty() {
                nextLine()
                continue
            }
            return
        }
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private func isSpaceOrBreak(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func isFlowIndicator(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
            || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
    }
}
