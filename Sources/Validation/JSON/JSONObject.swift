/// A JSON object whose members keep document order.
///
/// Lookups scan the members while there are few (connection objects have tens of keys, where
/// a scan beats hashing and keeps order for free); past `indexThreshold` members a hash index
/// of the keys is kept beside them, so that a hostile body's 100,000 keys cost linear time
/// to parse, check for duplicates and look up (API.md "CPU budget"; issue 10 measured 25 s of
/// CPU for one such body with scans alone).
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Objects with more members than this carry a `KeyIndex`.
    static let indexThreshold = 32

    public private(set) var members: [Member]
    /// Position of each key's first member; `nil` up to `indexThreshold` members.
    private var index: KeyIndex?

    public init() {
        members = []
    }

    public init(members: [Member]) {
        self.members = members
        if members.count > Self.indexThreshold { index = KeyIndex(members) }
    }

    /// `index` was built by whoever collected `members` (the parser, which needs it for
    /// its duplicate check anyway).
    init(members: [Member], index: KeyIndex?) {
        self.members = members
        self.index = index ?? (members.count > Self.indexThreshold ? KeyIndex(members) : nil)
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(members: elements.map { Member(key: $0.0, value: $0.1) })
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func contains(_ key: String) -> Bool {
        position(of: key) != nil
    }

    /// Keys match by their UTF-8 bytes, as RFC 8259 §8.3 compares names (Swift's `==`
    /// would equate canonically equivalent spellings such as "é" and "e\u{301}").
    /// Comparing lengths first (O(1) for native strings) skips most non-matching keys.
    @inline(__always)
    private func position(of key: String) -> Int? {
        if let index { return index.position(of: key) }
        let length = key.utf8.count
        for position in members.indices
        where members[position].key.utf8.count == length && Self.sameBytes(members[position].key, key) {
            return position
        }
        return nil
    }

    /// Reads a member; setting replaces it in place or appends it; setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get {
            position(of: key).map { members[$0].value }
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    // Every later position moved; rebuilt (or dropped) rather than patched.
                    index = members.count > Self.indexThreshold ? KeyIndex(members) : nil
                }
            } else if let newValue {
                append(Member(key: key, value: newValue))
            }
        }
    }

    /// Sets `key` only when it is absent.
    public mutating func setDefault(_ key: String, _ value: JSONValue) {
        if !contains(key) { append(Member(key: key, value: value)) }
    }

    private mutating func append(_ member: Member) {
        members.append(member)
        if index != nil {
            index?.insert(member.key, at: members.count - 1)
        } else if members.count > Self.indexThreshold {
            index = KeyIndex(members)
        }
    }

    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    /// Equal when the members are, in order; the index is derived from them.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members == rhs.members
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members)
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

extension JSONObject {
    /// Member positions by key bytes. Hashing is Swift's seeded SipHash over the UTF-8
    /// bytes, so a client cannot choose keys that collide (a fixed hash would let 100,000
    /// chosen keys share a bucket and bring the quadratic time back).
    struct KeyIndex: Sendable {
        private var positions: [ByteKey: Int]

        init(_ members: [Member]) {
            positions = Dictionary(minimumCapacity: members.count)
            for position in members.indices { insert(members[position].key, at: position) }
        }

        var count: Int { positions.count }

        func position(of key: String) -> Int? {
            positions[ByteKey(key)]
        }

        /// Records `key` at `position` unless it is already there (the first member wins, as
        /// for a scan); returns whether it was new.
        @discardableResult
        mutating func insert(_ key: String, at position: Int) -> Bool {
            var inserted = false
            // One hash lookup through the defaulted subscript's in-place access.
            func claim(_ slot: inout Int) {
                guard slot < 0 else { return }
                slot = position
                inserted = true
            }
            claim(&positions[ByteKey(key), default: -1])
            return inserted
        }
    }

    /// A key compared and hashed by its UTF-8 bytes.
    struct ByteKey: Hashable, Sendable {
        let text: String

        init(_ text: String) {
            self.text = text
        }

        static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
            JSONObject.sameBytes(lhs.text, rhs.text)
        }

        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }
}
