import JSON
import Validation

/// Why and where a YAML file cannot be read as one JSON value: a syntax error, a construct
/// lint refuses rather than misreads (anchors, aliases, tags, several documents), or a
/// named limit exceeded.
public struct YAMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public let position: SourcePosition

    public init(_ reason: String, at position: SourcePosition) {
        self.reason = reason
        self.position = position
    }

    public var description: String {
        "\(reason) at line \(position.line), column \(position.column)"
    }
}

/// The limits of the YAML reader: a configuration file is small, and a hostile one must
/// not exhaust the stack or the memory.
public struct YAMLLimits: Sendable, Equatable {
    /// Nesting of collections, the top level counting as 1 (as `JSONParser.defaultMaxDepth`).
    public var maxDepth: Int
    /// The largest file read; a 500-connection deploy CLI export is ~0.5 MB.
    public var maxBytes: Int

    public init(maxDepth: Int = 64, maxBytes: Int = 16 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }
}
