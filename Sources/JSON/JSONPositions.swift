/// Where each value of a parsed document starts, keyed by its path.
public struct JSONPositions: Sendable {
    private var starts: [[PathSegment]: SourcePosition] = [:]
    // Values are recorded in document order, so one forward-moving counter serves all.
    private var counter = LineCounter()

    public init() {}

    mutating func record(_ path: [PathSegment], offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        counter.advance(to: offset, in: bytes)
        starts[path] = SourcePosition(offset: offset, line: counter.line, column: counter.column)
    }

    /// Records where the value at `path` starts, for a parser of another syntax (lint's YAML
    /// reader) that counts lines and columns itself.
    public mutating func record(_ path: [PathSegment], at position: SourcePosition) {
        starts[path] = position
    }

    /// Room for `count` positions: growing a table keyed by paths rehashes every path.
    public mutating func reserveCapacity(_ count: Int) {
        starts.reserveCapacity(count)
    }

    /// Every recorded start, by path.
    public var recorded: [[PathSegment]: SourcePosition] { starts }

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
