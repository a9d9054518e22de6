/// Turns a path inside one connection of a file into a line and column, recording
/// positions only for the connections that need them (see `EntrySpans`).
struct FindingLocator {
    private let kind: LintDocument
    private let bytes: [UInt8]
    private let entries: [LintDocument.Entry]
    /// Scanned on the first lookup, so a file without findings pays nothing.
    private var scanned = false
    private var ranges: [Range<Int>]?
    private var documentPositions: JSONPositions?
    private var cachedIndex = -1
    private var cachedPositions: JSONPositions?
    private var cachedStart = SourcePosition(offset: 0, line: 1, column: 1)
    /// Lines are counted forward from the last entry located, since findings come in order.
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
            let found = EntrySpans(of: kind, in: bytes)?.ranges
            // A count that disagrees with the parsed document means the scan was misled; the
            // whole-document positions are slower but always right.
            ranges = found?.count == entries.count ? found : nil
        }
        guard let ranges else {
            if documentPositions == nil {
                documentPositions = try? JSONParser.parseWithPositions(bytes).1
            }
            return documentPositions?.position(of: entries[index].path + path) ?? Self.documentStart
        }
        if cachedIndex != index {
            let range = ranges[index]
            cachedIndex = index
            cachedStart = start(of: range.lowerBound)
            cachedPositions = try? JSONParser.parseWithPositions(Array(bytes[range])).1
        }
        guard let relative = cachedPositions?.position(of: path) else { return cachedStart }
        // Positions in the slice count from its first byte: shift them to the file's.
        return SourcePosition(
            offset: cachedStart.offset + relative.offset,
            line: cachedStart.line + relative.line - 1,
            column: relative.line == 1 ? cachedStart.column + relative.column - 1 : relative.column)
    }

    /// Line and column of `offset`, counted as `JSONPositions` counts them (columns in
    /// Unicode scalars: every byte that is not a UTF-8 continuation byte).
    private mutating func start(of offset: Int) -> SourcePosition {
        if offset < counted.offset { counted = Self.documentStart }
        let position = bytes.withUnsafeBufferPointer { buffer in
            var line = counted.line
            var lastNewline = -1
            for index in counted.offset..<offset where buffer[index] == 0x0A {
                line += 1
                lastNewline = index
            }
            let columnFrom = lastNewline >= 0 ? lastNewline + 1 : counted.offset
            var column = lastNewline >= 0 ? 1 : counted.column
            for index in columnFrom..<offset where buffer[index] & 0xC0 != 0x80 { column += 1 }
            return SourcePosition(offset: offset, line: line, column: column)
        }
        counted = position
        return position
    }

    private static let documentStart = SourcePosition(offset: 0, line: 1, column: 1)
}
