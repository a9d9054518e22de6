/// Turns a path inside one connection of a file into a line and column, recording
/// positions only for the connections that need them (see `EntrySpans`).
struct FindingLocator {
    private let kind: LintDocument
    private let bytes: [UInt8]
    private let entries: [LintDocument.Entry]
    /// Scanned on the first lookup, so a file without findings pays nothing.
    private var scanned = false
    private var spans: [EntrySpans.Span]?
    private var documentPositions: JSONPositions?
    private var cachedIndex = -1
    private var cachedPositions: JSONPositions?
    private var cachedStart = SourcePosition(offset: 0, line: 1, column: 1)
    /// The start of the last entry located: findings come in entry order, so columns on a
    /// shared line are counted on from there.
    private var counted = SourcePosition(offset: 0, line: 1, column: 1)

    init(kind: LintDocument, entries: [LintDocument.Entry], bytes: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
        self.entries = entries
    }

    /// Where the value at `path` (relative to entry `index`) is, or where its nearest
    /// present ancestor is when the engine points at a value the file leaves out.
    mutating func position(ofEntry index: Int, path: [PathSegment]) -> SourcePosition {
        if !scanned {
            scanned = true
            let found = EntrySpans(of: kind, in: bytes)?.spans
            // A count that disagrees with the parsed document means the scan was misled; the
            // whole-document positions are slower but always right.
            spans = found?.count == entries.count ? found : nil
        }
        guard let spans else {
            if documentPositions == nil {
                documentPositions = try? JSONParser.parseWithPositions(bytes).1
            }
            return documentPositions?.position(of: entries[index].path + path) ?? Self.documentStart
        }
        let span = spans[index]
        if cachedIndex != index {
            cachedIndex = index
            cachedStart = start(of: span)
            cachedPositions = nil
        }
        return position(of: path, inEntry: span.range)
    }

    /// Where the value at `path` is inside the entry at `range`, an array element the caller
    /// found itself (the streaming parse of an array file). Entries must come in file order:
    /// lines and columns are counted on from the previous one.
    mutating func position(ofPath path: [PathSegment], inEntryAt range: Range<Int>) -> SourcePosition {
        if cachedIndex != -2 - range.lowerBound {
            // Entry keys in this mode are negative, so they never meet an index of `entries`.
            cachedIndex = -2 - range.lowerBound
            cachedStart = position(at: range.lowerBound, after: counted)
            counted = cachedStart
            cachedPositions = nil
        }
        return position(of: path, inEntry: range)
    }

    /// The position of `path` inside the entry at `span`, whose start is `cachedStart`.
    private mutating func position(of path: [PathSegment], inEntry span: Range<Int>) -> SourcePosition {
        if let offset = EntryPathScanner.offset(of: path, in: bytes, from: span.lowerBound) {
            return position(at: offset, after: cachedStart)
        }
        // An escaped key on the path: the parser decodes it, recording every position.
        if cachedPositions == nil {
            cachedPositions = try? JSONParser.parseWithPositions(Array(bytes[span])).1
        }
        guard let relative = cachedPositions?.position(of: path) else { return cachedStart }
        // Positions in the slice count from its first byte: shift them to the file's.
        return SourcePosition(
            offset: cachedStart.offset + relative.offset,
            line: cachedStart.line + relative.line - 1,
            column: relative.line == 1 ? cachedStart.column + relative.column - 1 : relative.column)
    }

    /// Line and column of a span's first byte. Columns count Unicode scalars from the
    /// start of the line (every byte that is not a UTF-8 continuation byte), as
    /// `JSONPositions` does; on a line already counted up to an earlier entry (a compact
    /// file is one line), counting resumes there, so a file is counted once in all.
    private mutating func start(of span: EntrySpans.Span) -> SourcePosition {
        let offset = span.range.lowerBound
        let resume = counted.line == span.line && counted.offset <= offset
        let from = resume ? counted.offset : span.lineStart
        let continuationBytes = Self.continuationBytes(in: from..<offset, of: bytes)
        let column = (resume ? counted.column : 1) + (offset - from) - continuationBytes
        counted = SourcePosition(offset: offset, line: span.line, column: column)
        return counted
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

    /// How many bytes of `range` are line feeds, eight at a time: between two entries with
    /// findings a streamed file is crossed once, and most of a pretty-printed one is lines.
    private static func lineBreaks(in range: Range<Int>, of bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            var count = 0
            var index = range.lowerBound
            while index &+ 8 <= range.upperBound {
                // A byte of `word ^ 0x0A…` is zero exactly where `word` has a line feed; adding
                // 0x7F to its low 7 bits sets bit 7 unless they are all zero, and OR-ing the
                // byte back in keeps bit 7 for bytes ≥ 0x80: bit 7 stays clear only for zeros.
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                let nonZero = ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word
                count &+= 8 &- (nonZero & 0x8080_8080_8080_8080).nonzeroBitCount
                index &+= 8
            }
            while index < range.upperBound {
                count &+= raw[index] == 0x0A ? 1 : 0
                index &+= 1
            }
            return count
        }
    }

    /// How many bytes of `range` are UTF-8 continuation bytes (`10xxxxxx`), eight at a
    /// time: a compact file is one long line, counted across once.
    private static func continuationBytes(in range: Range<Int>, of bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            var count = 0
            var index = range.lowerBound
            while index &+ 8 <= range.upperBound {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // Bit 7 set and bit 6 clear: shifting left by one lines bit 6 up under bit 7.
                count &+= (word & ~(word &<< 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                index &+= 8
            }
            while index < range.upperBound {
                count &+= raw[index] & 0xC0 == 0x80 ? 1 : 0
                index &+= 1
            }
            return count
        }
    }

    private static let documentStart = SourcePosition(offset: 0, line: 1, column: 1)
}
