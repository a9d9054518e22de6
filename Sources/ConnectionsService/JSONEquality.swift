import JSON

/// JSON equality for "did this write change anything": object members compared as a set of
/// keys, numbers by their literal text (stored numbers keep the text they were sent with).
enum JSONEquality {
    static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
        case (.object(let a), .object(let b)):
            return same(a, b)
        default:
            return lhs == rhs
        }
    }

    static func same(_ lhs: JSONObject, _ rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], same(member.value, other) else { return false }
        }
        return true
    }
}
