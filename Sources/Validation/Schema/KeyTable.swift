/// A fixed set of object keys with fast lookup of a key's position. Keys are bucketed by
/// UTF-8 length, so most misses cost one integer comparison and a hit one string
/// comparison; hashing every member key (Swift's `String` hash is SipHash over the
/// bytes) cost more than the whole rest of the walk on typical bodies.
struct KeyTable: Sendable {
    let names: [String]
    private let buckets: [[Int]]

    init(_ names: [String]) {
        self.names = names
        let longest = names.map(\.utf8.count).max() ?? 0
        var buckets = Array(repeating: [Int](), count: longest + 1)
        for (position, name) in names.enumerated() where !buckets[name.utf8.count].contains(where: { names[$0] == name }) {
            buckets[name.utf8.count].append(position)
        }
        self.buckets = buckets
    }

    /// The position of `key` in `names`, or `nil`.
    func position(of key: String) -> Int? {
        let length = key.utf8.count
        guard length < buckets.count else { return nil }
        for position in buckets[length] where names[position] == key { return position }
        return nil
    }
}
