/// The list order of API.md: name compared case-insensitively, then id. Names are ASCII
/// (the name pattern), so lowercasing is exact and comparison is byte-wise.
public struct CatalogSortKey: Sendable, Hashable, Comparable {
    public let folded: String
    public let id: String

    public init(name: String, id: String) {
        self.folded = name.lowercased()
        self.id = id
    }

    public init(folded: String, id: String) {
        self.folded = folded
        self.id = id
    }

    public static func < (lhs: CatalogSortKey, rhs: CatalogSortKey) -> Bool {
        let byName = order(lhs.folded, rhs.folded)
        return byName != 0 ? byName < 0 : order(lhs.id, rhs.id) < 0
    }

    /// Byte-wise three-way comparison over the strings' UTF-8 storage (every write and list
    /// query binary-searches with it; the generic `lexicographicallyPrecedes` was ~3× slower).
    private static func order(_ lhs: String, _ rhs: String) -> Int {
        let result = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                for index in 0..<min(left.count, right.count) where left[index] != right[index] {
                    return left[index] < right[index] ? -1 : 1
                }
                return left.count - right.count
            }
        }
        if let result, let result { return result }
        // Bridged or non-contiguous strings (never built by this service): the slow path.
        if lhs == rhs { return 0 }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8) ? -1 : 1
    }
}
