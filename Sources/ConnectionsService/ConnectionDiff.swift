import JSON

/// Differences between two states of a connection, for dry runs.
enum ConnectionDiff {
    private static let configuration = ["options", "configuration"]

    /// Operations turning `old` into `new`, at the highest level where they differ: members of
    /// `old` in its order (removed, replaced, or compared member by member when both are
    /// objects), then members only `new` has, in its order. Arrays are replaced whole.
    static func changes(from old: JSONObject, to new: JSONObject) -> [PatchOperation] {
        var operations: [PatchOperation] = []
        diff(old, new, path: [], into: &operations)
        return operations
    }

    private static func diff(_ old: JSONObject, _ new: JSONObject, path: [String], into operations: inout [PatchOperation]) {
        for member in old.members {
            let memberPath = path + [member.key]
            guard let newValue = new[member.key] else {
                operations.append(PatchOperation(op: "remove", path: memberPath, value: nil))
                continue
            }
            if case .object(let oldObject) = member.value, case .object(let newObject) = newValue {
                diff(oldObject, newObject, path: memberPath, into: &operations)
            } else if !JSONEquality.same(member.value, newValue) {
                operations.append(PatchOperation(op: "replace", path: memberPath, value: newValue))
            }
        }
        for member in new.members where !old.contains(member.key) {
            operations.append(PatchOperation(op: "add", path: path + [member.key], value: member.value))
        }
    }

    /// Pointers of the keys of `old` that `new` does not have although `body`'s object at their
    /// parent does not name them, each at the highest level where it disappears; under
    /// `options.configuration` every key is also listed on its own.
    static func erased(from old: JSONObject, to new: JSONObject, body: JSONObject) -> [String] {
        var pointers: [String] = []
        walk(old, new: .object(new), body: .object(body), path: [], into: &pointers)
        return pointers
    }

    private static func walk(_ old: JSONObject, new: JSONValue?, body: JSONValue?, path: [String], into pointers: inout [String]) {
        for member in old.members {
            let memberPath = path + [member.key]
            let newValue = new?.objectValue?[member.key]
            if newValue == nil {
                guard body?.objectValue?.contains(member.key) != true else { continue }
                pointers.append(memberPath.map { PathSegment.key($0) }.jsonPointer)
                if memberPath.count < configuration.count, memberPath == Array(configuration.prefix(memberPath.count)) {
                    // `options` itself went: list the configuration keys it took with it.
                    let below = member.value.objectValue?["configuration"]?.objectValue
                    for key in below?.keys ?? [] {
                        pointers.append((configuration + [key]).map { PathSegment.key($0) }.jsonPointer)
                    }
                } else if memberPath == configuration {
                    for key in member.value.objectValue?.keys ?? [] {
                        pointers.append((configuration + [key]).map { PathSegment.key($0) }.jsonPointer)
                    }
                }
            } else if case .object(let oldObject) = member.value {
                walk(oldObject, new: newValue, body: body?.objectValue?[member.key], path: memberPath, into: &pointers)
            }
        }
    }

    /// Whether `path` is at or under `/options/configuration`.
    static func isConfiguration(_ path: [String]) -> Bool {
        path.count >= configuration.count && Array(path.prefix(configuration.count)) == configuration
    }

    /// `value` (found at `path`) with every value under `options.configuration` replaced by
    /// `"<hidden>"`.
    static func hidingConfiguration(_ value: JSONValue, at path: [String]) -> JSONValue {
        if path == configuration {
            guard case .object(let object) = value else { return .string("<hidden>") }
            return .object(JSONObject(members: object.members.map { .init(key: $0.key, value: .string("<hidden>")) }))
        }
        guard path.count < configuration.count, case .object(var object) = value else { return value }
        let key = configuration[path.count]
        if let child = object[key] { object[key] = hidingConfiguration(child, at: path + [key]) }
        return .object(object)
    }
}
