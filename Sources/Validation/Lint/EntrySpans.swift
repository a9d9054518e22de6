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
    /// Byte ranges of the entries, in document order. A range may end with whitespace.
    let ranges: [Range<Int>]

    /// The spans of the entries of `kind`, or `nil` when they cannot be found this way.
    init?(of kind: LintDocument, in bytes: [UInt8]) {
        guard kind != .connection else { return nil }
        let found: [Range<Int>]? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(buffer: buffer)
            scanner.skipWhitespace()
            if kind == .listResponse {
                guard scanner.moveToConnectionsOfList() else { return nil }
            }
            return scanner.elementsOfArray()
        }
        guard let found else { return nil }
        ranges = found
    }

    private struct Scanner {
        let buffer: UnsafeBufferPointer<UInt8>
        var index = 0

        init(buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        /// At a `[`: the range of every element, found by tracking nesting depth in one
        /// loop (brackets inside strings do not count: strings are skipped whole).
        mutating func elementsOfArray() -> [Range<Int>]? {
            guard index < buffer.count, buffer[index] == UInt8(ascii: "[") else { return nil }
            var ranges: [Range<Int>] = []
            var depth = 0
            var elementStart: Int?
            while index < buffer.count {
                let byte = buffer[index]
                // Indentation runs are most of a pretty-printed file's non-string bytes.
                if byte == 0x20 {
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: "\"") {
                    if depth == 1 && elementStart == nil { elementStart = index }
                    skipString()
                    continue
                }
                // `[`/`{` and `]`/`}` differ only in bit 0x20.
                if byte | 0x20 == UInt8(ascii: "{") {
                    if depth == 1 && elementStart == nil { elementStart = index }
                    depth += 1
                } else if byte | 0x20 == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        if let start = elementStart { ranges.append(start..<index) }
                        return ranges
                    }
                } else if depth == 1 {
                    if byte == UInt8(ascii: ",") {
                        guard let start = elementStart else { return nil }
                        ranges.append(start..<index)
                        elementStart = nil
                    } else if elementStart == nil && !Self.isWhitespace(byte) {
                        elementStart = index
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
                    if byte | 0x20 == UInt8(ascii: "{") {
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

        /// From an opening quote to just past the closing one.
        mutating func skipString() {
            index += 1
            while index < buffer.count {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                index += byte == UInt8(ascii: "\\") ? 2 : 1
            }
        }

        mutating func skipWhitespace() {
            while index < buffer.count && Self.isWhitespace(buffer[index]) { index += 1 }
        }

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        }
    }
}
