import JSON
import Validation

/// Judges a connection for `lint` so that a schema error does not hide the rest: the API
/// stops at the schema (a body it cannot read is not judged further), but a reader of a
/// report wants every problem of a connection at once.
///
/// When the body has schema errors, the values they point at are set aside (a member of the
/// wrong type or out of range is removed, an unknown key is removed, an object missing a
/// required member is removed) and the rest is judged again. If what remains passes the
/// schema, its rule findings are reported beside the schema errors, except those at, above
/// or below a value that was set aside: those would judge a connection the file does not
/// hold. A body whose own top level is at fault (not an object, no `name` or `strategy`)
/// is not judged further, as the API would not.
struct TolerantJudge {
    typealias Verdict = (JSONValue) -> Judgement

    /// Rounds of setting aside: removing a value may uncover a missing required member of
    /// its parent, which the next round removes in turn.
    static let maxRounds = 4

    static func judge(_ body: JSONValue, with verdict: Verdict) -> [Violation] {
        let first = verdict(body)
        let schemaViolations = first.violations.filter { $0.rule == Rule.schema.id }
        guard !schemaViolations.isEmpty, first.connection == nil else { return first.violations }

        var pruned = body
        var setAside: [[PathSegment]] = []
        var pending = schemaViolations
        for _ in 0..<maxRounds {
            for violation in pending {
                guard let removed = setAsideValue(of: violation, in: &pruned) else { return first.violations }
                setAside += removed
            }
            let again = verdict(pruned)
            pending = again.violations.filter { $0.rule == Rule.schema.id }
            if pending.isEmpty {
                let rules = again.violations.filter { violation in
                    !setAside.contains { Self.related(violation.path, $0) }
                }
                return first.violations + rules
            }
        }
        return first.violations
    }

    /// Removes what `violation` points at from `body`; the removed paths, or `nil` when the
    /// fault is the body's own top level.
    private static func setAsideValue(of violation: Violation, in body: inout JSONValue) -> [[PathSegment]]? {
        let prefix = "Payload validation error: 'Additional properties not allowed: "
        if violation.message.hasPrefix(prefix) {
            let rest = violation.message.dropFirst(prefix.count)
            let names = rest.prefix { $0 != "'" }.split(separator: ",").map(String.init)
            let paths = names.map { violation.path + [.key($0)] }
            for path in paths { remove(path, from: &body) }
            return paths
        }
        guard !violation.path.isEmpty else { return nil }
        remove(violation.path, from: &body)
        return [violation.path]
    }

    private static func remove(_ path: [PathSegment], from value: inout JSONValue) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        switch (first, value) {
        case (.key(let key), .object(var object)):
            if rest.isEmpty {
                object[key] = nil
            } else if var member = object[key] {
                remove(rest, from: &member)
                object[key] = member
            }
            value = .object(object)
        case (.index(let index), .array(var array)) where array.indices.contains(index):
            if rest.isEmpty {
                array.remove(at: index)
            } else {
                remove(rest, from: &array[index])
            }
            value = .array(array)
        default:
            return
        }
    }

    /// True when one path is the other or lies inside it.
    private static func related(_ lhs: [PathSegment], _ rhs: [PathSegment]) -> Bool {
        let shorter = min(lhs.count, rhs.count)
        return lhs.prefix(shorter) == rhs.prefix(shorter)
    }
}
