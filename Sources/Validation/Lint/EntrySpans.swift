/// Finds where each connection of an already-parsed document starts and ends, with one
/// tight pass over the bytes, so positions can be recorded for just the connections that
/// have findings.
///
/// Recording positions for a whole file costs about ten times a plain parse (a path-keyed
/// table entry for every value), which would make position tracking, not judging, the
/// cost of linting a large file. The scanner trusts that `JSONParser` has accepted the
/// bytes; when it cannot find the entries (a `connections` key spelled with escapes, say)
/// it returns `nil` and the caller records positions for the whole document instead.
struct EntrySpans {
    /// One entry: its bytes (possibly ending with whitespace), the line it starts on, and
    /// where that line starts, counted in the same pass (JSON strings hold no raw newline,
    /// so every 0x0A the scan meets outside them is a line break).
    struct Span {
        let range: Range<Int>
        let line: Int
        let lineStart: Int
    }

    let spans: [Span]

    /// The spans of the entries of `kind`, or `nil` when they cannot be found this way.
    init?(of kind: LintDocument, in bytes: [UInt8]) {
        guard kind != .connection else { return nil }
        let found: [Span]? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(buffer: buffer)
            scanner.skipWhitespace()
            if kind == .listResponse {
                guard scanner.moveToConnectionsOfList() else { return nil }
            }
            return scanner.elementsOfArray()
        }
        guard let found else { return nil }
        spans = found
    }

    private struct Scanner {
        let buffer: UnsafeBufferPointer<UInt8>
        var index = 0
        var line = 1
        var lineStart = 0

        init(buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        /// At a `[`: the range of every element, found by tracking nesting depth in one
        /// loop (brackets inside strings do not count: strings are skipped whole).
        mutating func elementsOfArray() -> [Span]? {
            guard index < buffer.count, buffer[index] == UInt8(ascii: "[") else { return nil }
            var spans: [Span] = []
            var depth = 0
            var elementStart: Int?
            var elementLine = 0
            var elementLineStart = 0
            while index < buffer.count {
                let byte = buffer[index]
                // Indentation runs are most of a pretty-printed file's non-string bytes.
                if byte == 0x20 {
                    index += 1
                    continue
                }
                if byte == 0x0A {
                    line += 1
                    index += 1
                    lineStart = index
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    if depth == 1 && elementStart == nil {
                        (elementStart, elementLine, elementLineStart) = (index, line, lineStart)
                    }
                    skipString()
                    continue
                }
                // `[`/`{` and `]`/`}` differ only in bit 0x20.
                if byte | 0x20 == UInt8(ascii: "{") {
                    if depth == 1 && elementStart == nil {
                        (elementStart, elementLine, elementLineStart) = (index, line, lineStart)
                    }
                    depth += 1
                } else if byte | 0x20 == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        if let start = elementStart {
                            spans.append(Span(range: start..<index, line: elementLine, lineStart: elementLineStart))
                        }
                        return spans
                    }
                } else if depth == 1 {
                    if byte == UInt8(ascii: ",") {
                        guard let start = elementStart else { return nil }
                        spans.append(Span(range: start..<index, line: elementLine, lineStart: elementLineStart))
                        elementStart = nil
                    } else if elementStart == nil && !Self.isWhitespace(byte) {
                        (elementStart, elementLine, elementLineStart) = (index, line, lineStart)
                    }
                }
                index += 1
            }
            return nil
        }

        /// At the top-level `{` of a list response: moves to the `[` of `connections`.
        mutating func moveToConnectionsOfList() -> Bool {
            guard index < buffer.count, buffer[index] == UInt8(ascii: "{") else { return false }
            index += 1
            while index < buffer.count {
                skipWhitespace()
                guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else { return false }
                let keyStart = index + 1
                skipString()
                let isConnections = buffer[keyStart..<(index - 1)].elementsEqual("connections".utf8)
                skipWhitespace()
                index += 1  // ':'
                skipWhitespace()
                if isConnections { return true }
                skipValue()
                skipWhitespace()
                guard index < buffer.count, buffer[index] == UInt8(ascii: ",") else { return false }
                index += 1
            }
            return false
        }

        mutating func skipValue() {
            guard index < buffer.count else { return }
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                skipString()
                return
            }
            if byte | 0x20 == UInt8(ascii: "{") {
                var depth = 0
                while index < buffer.count {
                    let byte = buffer[index]
                    if byte == UInt8(ascii: "\"") {
                        skipString()
                        continue
                    }
                    if byte == 0x0A {
                        line += 1
                        lineStart = index + 1
                    } else if byte | 0x20 == UInt8(ascii: "{") {
                        depth += 1
                    } else if byte | 0x20 == UInt8(ascii: "}") {
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return
                        }
                    }
                    index += 1
                }
                return
            }
            while index < buffer.count {
                let byte = buffer[index]
                if byte == UInt8(ascii: ",") || byte | 0x20 == UInt8(ascii: "}") || Self.isWhitespace(byte) { return }
                index += 1
            }
        }

        /// From an opening quote to just past the closing one. Strings are most of a file's
        /// bytes, so they are crossed eight at a time: only a quote or a backslash stops.
        mutating func skipString() {
            index += 1
            while index < buffer.count {
                if index &+ 8 <= buffer.count {
                    let word = UInt64(
                        littleEndian: UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    let stops = Self.zeroBytes(word ^ Self.quotes) | Self.zeroBytes(word ^ Self.backslashes)
                    if stops == 0 {
                        index &+= 8
                        continue
                    }
                    // In little-endian order the lowest flag is the first stop.
                    index &+= stops.trailingZeroBitCount &>> 3
                }
                let byte = buffer[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                index += byte == UInt8(ascii: "\\") ? 2 : 1
            }
        }

        private static let quotes: UInt64 = 0x2222_2222_2222_2222
        private static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C

        /// The high bit of each zero byte of `word` is set. Borrows can also flag a byte
        /// above a zero byte, never one below, so the lowest flag is always exact.
        private static func zeroBytes(_ word: UInt64) -> UInt64 {
            (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        }

        mutating func skipWhitespace() {
            while index < buffer.count && Self.isWhitespace(buffer[index]) {
                if buffer[index] == 0x0A {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
            }
        }

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        }
    }
}
