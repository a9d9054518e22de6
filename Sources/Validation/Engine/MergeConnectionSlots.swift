import JSON

/// A connection's top-level members sorted into canonical slots in one pass, so that the
/// merge reads and writes keys in constant time and emits them in canonical order.
struct MergeConnectionSlots {
    private var values: [JSONValue?]
    /// Keys outside the canonical set (none in what this service stores), kept in order.
    private var others: [JSONObject.Member]

    init(_ object: JSONObject) {
        // Members are read in place: iterating copies of them retained every key.
        var values = [JSONValue?](repeating: nil, count: MergeConnectionKey.allCases.count)
        var others: [JSONObject.Member] = []
        object.members.withUnsafeBufferPointer { members in
            for index in members.indices {
                if let key = MergeConnectionKey.named(members[index].key) {
                    values[key.rawValue] = members[index].value
                } else {
                    others.append(members[index])
                }
            }
        }
        self.values = values
        self.others = others
    }

    subscript(key: MergeConnectionKey) -> JSONValue? {
        get { values[key.rawValue] }
        set { values[key.rawValue] = newValue }
    }

    mutating func setDefault(_ key: MergeConnectionKey, _ value: JSONValue) {
        if values[key.rawValue] == nil { values[key.rawValue] = value }
    }

    /// The connection in canonical key order.
    var object: JSONObject {
        var members: [JSONObject.Member] = []
        members.reserveCapacity(values.count + others.count)
        for key in MergeConnectionKey.allCases {
            if let value = values[key.rawValue] { members.append(JSONObject.Member(key: key.name, value: value)) }
        }
        members.append(contentsOf: others)
        return JSONObject(members: members)
    }
}
