/// A place in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable {
    public let offset: Int
    public let line: Int
    public let column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// Computes line and column of a byte offset by scanning from the start.
    init(offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var counter = LineCounter()
        counter.advance(to: offset, in: bytes)
        self.init(offset: offset, line: counter.line, column: counter.column)
    }
}
