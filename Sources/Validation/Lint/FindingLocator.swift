/// Turns a path inside one connection of a file into a line and column, recording
/// positions only for the connections that need them (see `EntrySpans`).
struct FindingLocator {
    private let kind: LintDocument
    private let bytes: [UInt8]
    private let entries: [LintDocument.Entry]
    /// Scanned on the first lookup, so a file without findings pays nothing.
    private var spans: [EntrySpans.Span]??
    private var documentPositions: JSONPositions?
    private var cachedEntry: (index: Int, positions: JSONPositions?)?

    init(kind: LintDocument, entries: [LintDocument.Entry], bytes: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
        self.entries = entries
    }

    /// Where the value at `path` (relative to entry `index`) is, or where its nearest
    /// present ancestor is when the engine points at a value the file leaves out.
    mutating func position(ofEntry index: Int, path: [PathSegment]) -> SourcePosition {
        if spans == nil {
            let scanned = EntrySpans(of: kind, in: bytes)?.spans
            // A count that disagrees with the parsed document means the scan was misled; the
            // whole-document positions are slower but always right.
            spans = .some(scanned?.count == entries.count ? scanned : nil)
        }
        guard let spans = spans ?? nil else {
            if documentPositions == nil {
                documentPositions = try? JSONParser.parseWithPositions(bytes).1
            }
            return documentPositions?.position(of: entries[index].path + path) ?? Self.documentStart
        }
        let span = spans[index]
        if cachedEntry?.index != index {
            cachedEntry = (index, try? JSONParser.parseWithPositions(Array(bytes[span.range])).1)
        }
        guard let relative = cachedEntry?.positions?.position(of: path) else { return span.start }
        // Positions in the slice count from its first byte: shift them to the file's.
        return SourcePosition(
            offset: span.range.lowerBound + relative.offset,
            line: span.start.line + relative.line - 1,
            column: relative.line == 1 ? span.start.column + relative.column - 1 : relative.column)
    }

    private static let documentStart = SourcePosition(offset: 0, line: 1, column: 1)
}
