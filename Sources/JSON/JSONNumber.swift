/// A JSON number kept exactly as written (RFC 8259 §6 grammar, checked by the parser).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal text, e.g. `-12`, `1.50`, `1e400`.
    public let literal: String

    /// Wraps a literal the caller has already checked against the JSON grammar.
    public init(literal: String) {
        self.literal = literal
    }

    public init(_ value: Int) {
        self.literal = String(value)
    }

    /// True when the literal has no fraction and no exponent.
    public var isInteger: Bool {
        !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as an `Int` when the literal is an integer that fits.
    public var intValue: Int? {
        isInteger ? Int(literal) : nil
    }

    /// An approximate value for range checks on non-integers; never stored.
    public var doubleValue: Double? {
        Double(literal)
    }

    public var description: String { literal }
}
