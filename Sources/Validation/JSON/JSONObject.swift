/// A JSON object whose members keep document order. Lookups are linear: connection
/// objects have tens of keys, where a scan beats hashing and keeps order for free.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]

    public init() {
        members = []
    }

    public init(members: [Member]) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { Member(key: $0.0, value: $0.1) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func contains(_ key: String) -> Bool {
        index(of: key) != nil
    }

    /// Linear lookup. Keys match by their UTF-8 bytes, as RFC 8259 §8.3 compares names
    /// (Swift's `==` would equate canonically equivalent spellings such as "é" and "e\u{301}").
    /// Comparing lengths first (O(1) for native strings) skips most non-matching keys.
    @inline(__always)
    private func index(of key: String) -> Int? {
        let length = key.utf8.count
        for index in members.indices where members[index].key.utf8.count == length && Self.sameBytes(members[index].key, key) {
            return index
        }
        return nil
    }

    /// Reads a member; setting replaces it in place or appends it; setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get {
            index(of: key).map { members[$0].value }
        }
        set {
            if let index = index(of: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Sets `key` only when it is absent.
    public mutating func setDefault(_ key: String, _ value: JSONValue) {
        if !contains(key) { members.append(Member(key: key, value: value)) }
    }

    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    /// Byte equality of two names, over their UTF-8 storage (Swift's `==` would also equate
    /// canonically equivalent spellings, and checking it first cost a second comparison).
    @inline(__always)
    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        let result = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                guard left.count == right.count else { return false }
                for index in 0..<left.count where left[index] != right[index] { return false }
                return true
            }
        }
        if let result, let result { return result }
        // Bridged or lazily decoded text (never built by this service).
        return lhs.utf8.elementsEqual(rhs.utf8)
    }
}
