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
    /// Position of each key's first member; `nil` up to `indexThreshold` members. Boxed, so a
    /// JSONObject stays one word beside its members and `JSONValue` keeps its 17 bytes (inline,
    /// the two arrays of the index made every value and member larger: +3–5% instructions to
    /// parse and judge a typical create, callgrind).
    private var indexBox: IndexBox?

    /// The key index, when the object has one.
    package var index: KeyIndex? { indexBox?.index }

    public init() {
        members = []
    }

    public init(members: [Member]) {
        self.members = members
        if members.count > Self.indexThreshold { indexBox = IndexBox(KeyIndex(members)) }
    }

    /// `index` was built by whoever collected `members` (the parser, which needs it for
    /// its duplicate check anyway).
    package init(members: [Member], index: KeyIndex?) {
        self.members = members
        if let index {
            indexBox = IndexBox(index)
        } else if members.count > Self.indexThreshold {
            indexBox = IndexBox(KeyIndex(members))
        }
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
        if let indexBox { return indexBox.index.position(of: key, in: members) }
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
                    indexBox = members.count > Self.indexThreshold ? IndexBox(KeyIndex(members)) : nil
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
        if var index {
            // Dropping the box first leaves the index's arrays to `index` alone when no other
            // copy of this object shares them, so the insert does not copy them.
            indexBox = nil
            index.insert(member.key, at: members.count - 1, in: members)
            indexBox = IndexBox(index)
        } else if members.count > Self.indexThreshold {
            indexBox = IndexBox(KeyIndex(members))
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
    /// Holds a `KeyIndex` behind one reference; replaced, never changed.
    final class IndexBox: Sendable {
        let index: KeyIndex

        init(_ index: KeyIndex) {
            self.index = index
        }
    }

    /// Member positions by key bytes: open addressing with linear probing over slots holding a
    /// position + 1 (0 is empty), at most half full. Each member's key hash is kept by position,
    /// so a lookup compares hashes before bytes and growing re-slots without hashing again.
    ///
    /// Hashing is Swift's seeded SipHash over the UTF-8 bytes, so a client cannot choose keys that
    /// collide (with a fixed hash, 100,000 chosen keys would share a probe run and bring the
    /// quadratic time back).
    package struct KeyIndex: Sendable {
        private var slots: [Int32]
        private var hashes: [Int] = []

        init(_ members: [Member]) {
            var capacity = 64
            while capacity < members.count * 2 { capacity *= 2 }
            slots = Array(repeating: 0, count: capacity)
            hashes.reserveCapacity(members.count)
            for position in members.indices { insert(members[position].key, at: position, in: members) }
        }

        /// The position of the first member named `key`.
        func position(of key: String, in members: [Member]) -> Int? {
            probe(Self.hash(key), key, in: members).position
        }

        /// The slot holding the first member named `key` and its position, or the empty slot
        /// where that member would go.
        private func probe(_ hash: Int, _ key: String, in members: [Member]) -> (slot: Int, position: Int?) {
            let mask = slots.count - 1
            var slot = hash & mask
            while slots[slot] != 0 {
                let position = Int(slots[slot]) - 1
                if hashes[position] == hash && JSONObject.sameBytes(members[position].key, key) { return (slot, position) }
                slot = (slot + 1) & mask
            }
            return (slot, nil)
        }

        /// Records the member at `position` (the next one: positions are added in order), named
        /// `key`; returns whether the name was new. A repeated name keeps its first position.
        @discardableResult
        package mutating func insert(_ key: String, at position: Int, in members: [Member]) -> Bool {
            let hash = Self.hash(key)
            hashes.append(hash)
            if hashes.count * 2 > slots.count { grow(members) }
            return place(position, hash: hash, key: key, in: members)
        }

        private mutating func place(_ position: Int, hash: Int, key: String, in members: [Member]) -> Bool {
            let found = probe(hash, key, in: members)
            guard found.position == nil else { return false }
            slots[found.slot] = Int32(position + 1)
            return true
        }

        /// Doubles the slots and places every member already recorded again, from the kept hashes.
        private mutating func grow(_ members: [Member]) {
            slots = Array(repeating: 0, count: slots.count * 2)
            for position in 0..<(hashes.count - 1) {
                _ = place(position, hash: hashes[position], key: members[position].key, in: members)
            }
        }

        private static func hash(_ key: String) -> Int {
            var hasher = Hasher()
            let hashed: Void? = key.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
            if hashed == nil { Array(key.utf8).withUnsafeBytes { hasher.combine(bytes: $0) } }
            return hasher.finalize()
        }
    }
}
