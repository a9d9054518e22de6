import JSON
import Validation

/// Turns a path inside one connection of a file into a line and column. The connection is
/// given by its byte range, which the parser reports; connections must come in file order:
/// lines and columns are counted on from the previous one, so a file is crossed once, and
/// only up to the last connection with a finding.
struct FindingLocator {
    private let bytes: [UInt8]
    /// The start of the entry located last, and its position.
    private var entryStart = -1
    private var cachedStart = SourcePosition(offset: 0, line: 1, column: 1)
    /// Every position in that entry, recorded only when a path has an escaped key.
    private var cachedPositions: JSONPositions?

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Where the value at `path` inside the entry at `range` is, or where its nearest present
    /// ancestor is when the engine points at a value the file leaves out.
    mutating func position(of path: [PathSegment], inEntryAt range: Range<Int>) -> SourcePosition {
        if entryStart != range.lowerBound {
            cachedStart = position(at: range.lowerBound, after: cachedStart)
            entryStart = range.lowerBound
            cachedPositions = nil
        }
        if let offset = EntryPathScanner.offset(of: path, in: bytes, from: range.lowerBound) {
            return position(at: offset, after: cachedStart)
        }
        // An escaped key on the path: the parser decodes it, recording every position.
        if cachedPositions == nil {
            cachedPositions = try? JSONParser.parseWithPositions(Array(bytes[range])).1
        }
        guard let relative = cachedPositions?.position(of: path) else { return cachedStart }
        // Positions in the slice count from its first byte: shift them to the file's.
        return SourcePosition(
            offset: cachedStart.offset + relative.offset,
            line: cachedStart.line + relative.line - 1,
            column: relative.line == 1 ? cachedStart.column + relative.column - 1 : relative.column)
    }

    /// The line and column of `offset`, counted on from `start` as `JSONPositions` counts
    /// them (a column is a byte that is not a UTF-8 continuation byte).
    private func position(at offset: Int, after start: SourcePosition) -> SourcePosition {
        let breaks = Self.lineBreaks(in: start.offset..<offset, of: bytes)
        guard breaks > 0 else {
            let column = start.column + (offset - start.offset) - Self.continuationBytes(in: start.offset..<offset, of: bytes)
            return SourcePosition(offset: offset, line: start.line, column: column)
        }
        var lineStart = offset
        while bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        let column = 1 + (offset - lineStart) - Self.continuationBytes(in: lineStart..<offset, of: bytes)
        return SourcePosition(offset: offset, line: start.line + breaks, column: column)
    }

    /// How many bytes of `range` are line feeds: between two entries with findings a streamed
    /// file is crossed once, and most of a pretty-printed one is lines.
    private static func lineBreaks(in range: Range<Int>, of bytes: [UInt8]) -> Int {
        count(in: range, of: bytes, byte: { $0 == 0x0A }) { word in
            // A byte of `word ^ 0x0A…` is zero exactly where `word` has a line feed; adding
            // 0x7F to its low 7 bits sets bit 7 unless they are all zero, and OR-ing the byte
            // back in keeps bit 7 for bytes ≥ 0x80: bit 7 stays clear only for zeros.
            let shifted = word ^ 0x0A0A_0A0A_0A0A_0A0A
            let nonZero = ((shifted & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | shifted
            return 8 &- (nonZero & 0x8080_8080_8080_8080).nonzeroBitCount
        }
    }

    /// How many bytes of `range` are UTF-8 continuation bytes (`10xxxxxx`): a compact file
    /// is one long line, counted across once.
    private static func continuationBytes(in range: Range<Int>, of bytes: [UInt8]) -> Int {
        count(in: range, of: bytes, byte: { $0 & 0xC0 == 0x80 }) { word in
            // Bit 7 set and bit 6 clear: shifting left by one lines bit 6 up under bit 7.
            (word & ~(word &<< 1) & 0x8080_8080_8080_8080).nonzeroBitCount
        }
    }

    /// The bytes of `range` that `byte` accepts, counted eight at a time by `word` (which
    /// must agree with `byte` on each of a word's bytes), the tail one at a time.
    @inline(__always)
    private static func count(
        in range: Range<Int>, of bytes: [UInt8], byte: (UInt8) -> Bool, word: (UInt64) -> Int
    ) -> Int {
        bytes.withUnsafeBytes { raw in
            var count = 0
            var index = range.lowerBound
            while index &+ 8 <= range.upperBound {
                count &+= word(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index &+= 8
            }
            while index < range.upperBound {
                count &+= byte(raw[index]) ? 1 : 0
                index &+= 1
            }
            return count
        }
    }
}
