import JSON

/// An attribute's `signup.status`.
enum SignupStatus: Sendable {
    case required
    case optional
    case inactive

    /// The status a value names; absent (and, past the schema, anything else) counts as
    /// `required`, RULES.md's judging default.
    init(_ value: JSONValue?) {
        switch value?.stringValue {
        case "optional": self = .optional
        case "inactive": self = .inactive
        default: self = .required
        }
    }
}
