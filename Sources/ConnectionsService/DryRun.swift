import JSON
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
