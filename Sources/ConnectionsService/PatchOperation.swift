import JSON

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
