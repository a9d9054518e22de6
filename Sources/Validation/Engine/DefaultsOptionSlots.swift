import JSON

/// An options object with constant-time access to the keys default filling touches: one
/// hashing pass over the members, then reads, replacements in place and appends, so sent
/// keys keep their order and defaults follow them.
struct DefaultsOptionSlots {
    private var members: [JSONObject.Member]
    private var positions: [Int]
    /// The sent object's key index, extended by `object` with the defaults appended after it
    /// (rebuilding it would hash every key of a large object again); dropped by a removal.
    private var index: JSONObject.KeyIndex?
    private let sentCount: Int

    init(_ options: JSONObject) {
        members = options.members
        index = options.index
        sentCount = options.count
        // One copy with room for every default, rather than a copy and then regrowth.
        members.reserveCapacity(members.count + DefaultsOptionKey.allCases.count)
        // Keys are read in place: iterating copies of the members retained every key and value.
        var positions = Array(repeating: -1, count: DefaultsOptionKey.allCases.count)
        members.withUnsafeBufferPointer { members in
            for index in members.indices {
                if let key = DefaultsOptionKey.named(members[index].key) { positions[key.rawValue] = index }
            }
        }
        self.positions = positions
    }

    /// Reading gives the member's value; writing replaces it in place or appends it.
    subscript(key: DefaultsOptionKey) -> JSONValue? {
        get {
            let position = positions[key.rawValue]
            return position >= 0 ? members[position].value : nil
        }
        set {
            guard let newValue else { return remove(key) }
            let position = positions[key.rawValue]
            if position >= 0 {
                members[position].value = newValue
            } else {
                positions[key.rawValue] = members.count
                members.append(JSONObject.Member(key: key.name, value: newValue))
            }
        }
    }

    /// Sets `key` only when it is absent.
    mutating func setDefault(_ key: DefaultsOptionKey, _ value: JSONValue) {
        if positions[key.rawValue] < 0 { self[key] = value }
    }

    var object: JSONObject {
        guard var index else { return JSONObject(members: members) }
        for position in sentCount..<members.count { index.insert(members[position].key, at: position, in: members) }
        return JSONObject(members: members, index: index)
    }

    private mutating func remove(_ key: DefaultsOptionKey) {
        let position = positions[key.rawValue]
        guard position >= 0 else { return }
        members.remove(at: position)
        for index in positions.indices where positions[index] > position { positions[index] -= 1 }
        positions[key.rawValue] = -1
        index = nil
    }
}
