import Synchronization

/// The read model: every stored connection, rendered, by id and in list order.
///
/// SQLite is the source of truth; this is updated by the writer thread after each commit
/// and before the write is acknowledged, so every read after an acknowledgement sees it.
/// Reads take the lock only to find entries; rendering happens outside it.
public final class ConnectionCatalog: Sendable {
    private struct State {
        var byID: [String: CatalogEntry] = [:]
        /// Sorted by `sortKey`; updated in place (a pointer memmove per write).
        var ordered: [CatalogEntry] = []
    }

    /// The result of one list query.
    public struct Selection: Sendable {
        public var entries: [CatalogEntry]
        /// Matching entries in all; counted only when asked for.
        public var total: Int
        /// True when more matching entries follow the last one returned.
        public var hasMore: Bool
    }

    /// Which entries a list query wants.
    public struct Filter: Sendable {
        public var strategies: Set<String> = []
        public var name: String?

        public init(strategies: Set<String> = [], name: String? = nil) {
            self.strategies = strategies
            self.name = name
        }

        func matches(_ entry: CatalogEntry) -> Bool {
            if !strategies.isEmpty && !strategies.contains(entry.strategy) { return false }
            if let name, entry.name != name { return false }
            return true
        }

        var isEmpty: Bool { strategies.isEmpty && name == nil }
    }

    private let state = Mutex(State())

    public init(entries: [CatalogEntry] = []) {
        fill(entries)
    }

    /// Replaces every entry with `entries` (start-up's load, which reads them in list order
    /// already: they are sorted only if they are not).
    func fill(_ entries: [CatalogEntry]) {
        var byID: [String: CatalogEntry] = [:]
        byID.reserveCapacity(entries.count)
        for entry in entries { byID[entry.id] = entry }
        let inOrder = entries.indices.dropFirst().allSatisfy { entries[$0 - 1].sortKey < entries[$0].sortKey }
        let ordered = inOrder ? entries : entries.sorted { $0.sortKey < $1.sortKey }
        state.withLock { state in
            state.byID = byID
            state.ordered = ordered
        }
    }

    public var count: Int {
        state.withLock { $0.byID.count }
    }

    /// Every id held.
    var ids: Set<String> {
        state.withLock { Set($0.byID.keys) }
    }

    public func entry(id: String) -> CatalogEntry? {
        state.withLock { $0.byID[id] }
    }

    /// Inserts or replaces the entry with the same id. Only `ConnectionsService`'s commit
    /// path calls it, after the write's commit.
    func upsert(_ entry: CatalogEntry) {
        state.withLock { state in
            if let old = state.byID[entry.id] {
                let index = Self.position(of: old.sortKey, in: state.ordered)
                if index < state.ordered.count && state.ordered[index].id == old.id {
                    state.ordered.remove(at: index)
                }
            }
            state.byID[entry.id] = entry
            state.ordered.insert(entry, at: Self.position(of: entry.sortKey, in: state.ordered))
        }
    }

    func remove(id: String) {
        state.withLock { state in
            guard let old = state.byID.removeValue(forKey: id) else { return }
            let index = Self.position(of: old.sortKey, in: state.ordered)
            if index < state.ordered.count && state.ordered[index].id == id {
                state.ordered.remove(at: index)
            }
        }
    }

    /// Entries matching `filter`, strictly after `after` (checkpoint paging) and skipping
    /// `offset` matches (offset paging), at most `limit` of them.
    public func select(filter: Filter, after: CatalogSortKey?, offset: Int, limit: Int, countTotal: Bool) -> Selection {
        state.withLock { state in
            let start = after.map { key in Self.position(after: key, in: state.ordered) } ?? 0
            var selection = Selection(entries: [], total: 0, hasMore: false)
            selection.entries.reserveCapacity(min(limit, 128))
            if filter.isEmpty && !countTotal {
                let first = min(start + offset, state.ordered.count)
                let last = min(first + limit, state.ordered.count)
                selection.entries.append(contentsOf: state.ordered[first..<last])
                selection.hasMore = last < state.ordered.count
                return selection
            }
            var skipped = 0
            var index = start
            while index < state.ordered.count {
                let entry = state.ordered[index]
                index += 1
                guard filter.matches(entry) else { continue }
                selection.total += 1
                if skipped < offset {
                    skipped += 1
                } else if selection.entries.count < limit {
                    selection.entries.append(entry)
                } else {
                    selection.hasMore = true
                    if !countTotal { break }
                }
            }
            return selection
        }
    }

    /// The first index whose key is not less than `key`.
    private static func position(of key: CatalogSortKey, in ordered: [CatalogEntry]) -> Int {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if ordered[middle].sortKey < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first index whose key is greater than `key`.
    private static func position(after key: CatalogSortKey, in ordered: [CatalogEntry]) -> Int {
        var low = 0
        var high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if key < ordered[middle].sortKey { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
