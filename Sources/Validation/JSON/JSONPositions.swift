/// Where each value of a parsed document starts, keyed by its path.
public struct JSONPositions: Sendable {
    private var starts: [[PathSegment]: SourcePosition] = [:]
    // Incremental line tracking: values are recorded in document order.
    private var scannedOffset = 0
    private var line = 1
    private var column = 1

    public init() {}

    mutating func record(_ path: [PathSegment], offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        while scannedOffset < offset {
            let byte = bytes[scannedOffset]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            scannedOffset += 1
        }
        starts[path] = SourcePosition(offset: offset, line: line, column: column)
    }

    /// The position of the value at `path`, or of its nearest recorded ancestor when the
    /// value itself is absent (a default the engine filled in, say).
    public func position(of path: [PathSegment]) -> SourcePosition? {
        var path = path
        while true {
            if let found = starts[path] { return found }
            if path.isEmpty { return nil }
            path.removeLast()
        }
    }
}
