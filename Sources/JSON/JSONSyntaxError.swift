/// Why and where a document is not valid JSON.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public let position: SourcePosition

    public var description: String {
        "\(reason) at line \(position.line), column \(position.column)"
    }
}
