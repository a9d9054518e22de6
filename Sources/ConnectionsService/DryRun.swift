import Validation

/// The verdict of a write that is judged but not made (`?dry_run=true`): the judgement, what
/// would be stored, and for PATCH and restore what the write would change and erase.
public struct DryRun: Sendable {
    public let judgement: Judgement
    /// What would be stored; `nil` when the judgement rejects the write.
    public let connection: JSONObject?
    /// RFC 6902 operations from the stored connection to `connection` (PATCH and restore).
    public let changes: [PatchOperation]?
    /// Pointers of stored keys the write removes without the body naming them.
    public let erased: [String]?

    /// A create. Without `showsEnabledClients` (a tenant created today) the connection is
    /// shown without `enabled_clients`, as the real call would answer it.
    init(judgement: Judgement, connection: JSONObject?, showsEnabledClients: Bool) {
        self.judgement = judgement
        self.connection = judgement.isValid ? connection.map { Self.shown($0, showsEnabledClients) } : nil
        self.changes = nil
        self.erased = nil
    }

    /// A PATCH or restore: `body` is what the request named (for a restore, the revision).
    /// The changes are between the connections as GET shows them.
    init(judgement: Judgement, stored: JSONObject, body: JSONObject, showsEnabledClients: Bool) {
        self.judgement = judgement
        let result = judgement.isValid ? judgement.connection.map { Self.shown($0, showsEnabledClients) } : nil
        let stored = Self.shown(stored, showsEnabledClients)
        connection = result
        if let result {
            changes = ConnectionDiff.changes(from: stored, to: result)
            erased = ConnectionDiff.erased(from: stored, to: result, body: body)
        } else {
            changes = []
            erased = []
        }
    }

    private static func shown(_ connection: JSONObject, _ showsEnabledClients: Bool) -> JSONObject {
        guard !showsEnabledClients else { return connection }
        var shown = connection
        shown["enabled_clients"] = nil
        return shown
    }

    /// The answer's body. Values under `options.configuration` never appear: in `connection`
    /// each is `"<hidden>"`, and operations at or under `/options/configuration` carry no value.
    public var json: JSONValue {
        var object: JSONObject = [
            "valid": .bool(judgement.isValid),
            "violations": .array(judgement.violations.map(\.json)),
            "connection": connection.map { ConnectionDiff.hidingConfiguration(.object($0), at: []) } ?? .null,
        ]
        if let changes { object["changes"] = .array(changes.map(\.json)) }
        if let erased { object["erased"] = .array(erased.map { .string($0) }) }
        return .object(object)
    }
}

/// One RFC 6902 operation (`add`, `remove` or `replace`).
public struct PatchOperation: Sendable, Equatable {
    public let op: String
    public let path: [String]
    public let value: JSONValue?

    public var pointer: String {
        path.map { PathSegment.key($0) }.jsonPointer
    }

    var json: JSONValue {
        var object: JSONObject = ["op": .string(op), "path": .string(pointer)]
        if let value, !ConnectionDiff.isConfiguration(path) {
            object["value"] = ConnectionDiff.hidingConfiguration(value, at: path)
        }
        return .object(object)
    }
}

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
