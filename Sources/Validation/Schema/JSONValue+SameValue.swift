import JSON

extension JSONValue {
    /// JSON equality as z-schema's `areEqual` decides it: object members compared as a
    /// set of keys, numbers by value when both are plain integers.
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            if a.literal == b.literal { return true }
            if let x = a.intValue, let y = b.intValue { return x == y }
            return a.doubleValue == b.doubleValue
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { sameValue($0, $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for member in a.members {
                guard let other = b[member.key], sameValue(member.value, other) else { return false }
            }
            return true
        default:
            return lhs == rhs
        }
    }
}
