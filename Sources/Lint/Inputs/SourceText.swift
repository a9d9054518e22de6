import JSON
import Validation

/// A file's text as written, and the text that was parsed when they differ (keyword
/// replacement changes it first): turns an offset in the parsed text into the line and
/// column of the file as written, which is what a finding must name.
public struct SourceText: Sendable {
    /// A stretch of the parsed text that stands for a different stretch of the original.
    struct Replacement: Sendable {
        let parsed: Range<Int>
        let original: Range<Int>
    }

    public let original: [UInt8]
    /// What was parsed: `original` with the replacements made.
    public let parsed: [UInt8]
    private let replacements: [Replacement]
    /// The offset at which each line of `original` starts.
    private let lineStarts: [Int]

    init(original: [UInt8], parsed: [UInt8], replacements: [Replacement]) {
        self.original = original
        self.parsed = parsed
        self.replacements = replacements
        var starts = [0]
        for (offset, byte) in original.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// A text parsed as written.
    public init(_ bytes: [UInt8]) {
        self.init(original: bytes, parsed: bytes, replacements: [])
    }

    /// The offset in `original` of `offset` in `parsed`: inside a replacement, where the
    /// replaced keyword starts.
    func originalOffset(_ offset: Int) -> Int {
        var shift = 0
        for replacement in replacements {
            if offset < replacement.parsed.lowerBound { break }
            if offset < replacement.parsed.upperBound { return replacement.original.lowerBound }
            shift = replacement.original.upperBound - replacement.parsed.upperBound
        }
        return offset + shift
    }

    /// Line and column (Unicode scalars) in the file as written of an offset in `parsed`.
    public func position(ofParsed offset: Int) -> SourcePosition {
        position(ofOriginal: originalOffset(offset))
    }

    /// Line and column of an offset in `original`.
    public func position(ofOriginal offset: Int) -> SourcePosition {
        let offset = min(max(offset, 0), original.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        for index in lineStarts[low]..<offset where original[index] & 0xC0 != 0x80 { column += 1 }
        return SourcePosition(offset: offset, line: low + 1, column: column)
    }
}
