/// The list order of API.md: name compared case-insensitively, then id. Names are ASCII
/// (the name pattern), so lowercasing is exact and comparison is byte-wise.
struct CatalogSortKey: Sendable, Hashable, Comparable {
    let folded: String
    let id: String

    init(name: String, id: String) {
        self.folded = name.lowercased()
        self.id = id
    }

    init(folded: String, id: String) {
        self.folded = folded
        self.id = id
    }

    static func < (lhs: CatalogSortKey, rhs: CatalogSortKey) -> Bool {
        if lhs.folded != rhs.folded { return lhs.folded.utf8.lexicographicallyPrecedes(rhs.folded.utf8) }
        return lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8)
    }
}
