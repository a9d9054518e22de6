/// Finds where each connection of an already-parsed document starts and ends, with one
/// cheap pass over the bytes, so positions can be recorded for just the connections that
/// have findings.
///
/// Recording positions for a whole file costs about ten times a plain parse (a path-keyed
/// table entry for every value), which would make position tracking, not judging, the
/// cost of linting a large clean file. The scanner trusts that `JSONParser` has accepted
/// the bytes; when it cannot find the entries (a `connections` key spelled with escapes,
/// say) it returns `nil` and the caller records positions for the whole document instead.
struct EntrySpans {
    /// One connection's bytes and where they start in the file.
    struct Span {
        let range: Range<Int>
        let start: SourcePosition
    }

    let spans: [Span]

    /// The spans of the entries of `kind`, in document order, or `nil` when they cannot be
    /// found without a full parse.
    init?(of kind: LintDocument, in bytes: [UInt8]) {
        guard kind != .connection else { return nil }
        let found: [Span]? = bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(buffer: buffer)
            var spans: [Span] = []
            scanner.skipWhitespace()
            let complete =
                kind == .array
                ? scanner.collectElements(into: &spans) : scanner.collectConnectionsOfList(into: &spans)
            return complete ? spans : nil
        }
        guard let found else { return nil }
        spans = found
    }

    private struct Scanner {
        let buffer: UnsafeBufferPointer<UInt8>
        var index = 0
        // Line and column of `scannedOffset`, advanced lazily to each span start.
        var scannedOffset = 0
        var line = 1
        var column = 1

        init(buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        /// At a `[`: records every element's span. False when not at an array.
        mutating func collectElements(into spans: inout [Span]) -> Bool {
            guard index < buffer.count, buffer[index] == UInt8(ascii: "[") else { return false }
            index += 1
            skipWhitespace()
            if index < buffer.count, buffer[index] == UInt8(ascii: "]") { return true }
            while index < buffer.count {
                skipWhitespace()
                let start = index
                let position = position(at: start)
                skipValue()
                spans.append(Span(range: start..<index, start: position))
                skipWhitespace()
                guard index < buffer.count else { return false }
                if buffer[index] == UInt8(ascii: "]") { return true }
                index += 1  // ','
            }
            return false
        }

        /// At the top-level `{` of a list response: the elements of its `connections`.
        mutating func collectConnectionsOfList(into spans: inout [Span]) -> Bool {
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
                if isConnections { return collectElements(into: &spans) }
                skipValue()
                skipWhitespace()
                guard index < buffer.count, buffer[index] == UInt8(ascii: ",") else { return false }
                index += 1
            }
            return false
        }

        /// Counts lines and columns (in Unicode scalars) the way `JSONPositions` does.
        mutating func position(at offset: Int) -> SourcePosition {
            while scannedOffset < offset {
                let byte = buffer[scannedOffset]
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                scannedOffset += 1
            }
            return SourcePosition(offset: offset, line: line, column: column)
        }

        mutating func skipValue() {
            guard index < buffer.count else { return }
            switch buffer[index] {
            case UInt8(ascii: "\""):
                skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                // Strings are skipped whole, so brackets inside them are not counted.
                var depth = 0
                repeat {
                    switch buffer[index] {
                    case UInt8(ascii: "\""):
                        skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                    default:
                        break
                    }
                    index += 1
                } while depth > 0 && index < buffer.count
            default:
                while index < buffer.count {
                    switch buffer[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: return
                    default: index += 1
                    }
                }
            }
        }

        /// From an opening quote to just past the closing one.
        mutating func skipString() {
            index += 1
            while index < buffer.count {
                switch buffer[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return
                default: index += 1
                }
            }
        }

        mutating func skipWhitespace() {
            while index < buffer.count {
                switch buffer[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }
    }
}
