import Synchronization

/// The read model: every stored connection, rendered, by id and in list order.
///
/// SQLite is the source of truth; this is updated by the writer thread after each commit
/// and before the write is acknowledged, so every read after an acknowledgement sees it.
/// Reads take the lock only to find entries; rendering happens outside it.
public final class ConnectionCatalog: Sendable {
    private struct State {
        var byID: [String: CatalogEntry] = [:]
        /// Names are unique: a dry-run create's conflict check and `?name=` lists look here.
        var byName: [String: CatalogEntry] = [:]
        var ordered = OrderedEntries(sorted: [])
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
        var byName: [String: CatalogEntry] = [:]
        byID.reserveCapacity(entries.count)
        byName.reserveCapacity(entries.count)
        for entry in entries {
            byID[entry.id] = entry
            byName[entry.name] = entry
        }
        let inOrder = entries.indices.dropFirst().allSatisfy { entries[$0 - 1].sortKey < entries[$0].sortKey }
        let ordered = OrderedEntries(sorted: inOrder ? entries : entries.sorted { $0.sortKey < $1.sortKey })
        state.withLock { state in
            state.byID = byID
            state.byName = byName
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
            if let old = state.byID.updateValue(entry, forKey: entry.id) {
                if old.name != entry.name { state.byName.removeValue(forKey: old.name) }
                let place = state.ordered.position(of: old.sortKey)
                let found = place != state.ordered.end && state.ordered[place].id == old.id
                if found && old.sortKey == entry.sortKey {
                    // An update (a name never changes but in case): the entry keeps its place.
                    state.ordered.replace(at: place, with: entry)
                    state.byName[entry.name] = entry
                    return
                }
                if found { state.ordered.remove(at: place) }
            }
            state.byName[entry.name] = entry
            state.ordered.insert(entry)
        }
    }

    func remove(id: String) {
        state.withLock { state in
            guard let old = state.byID.removeValue(forKey: id) else { return }
            state.byName.removeValue(forKey: old.name)
            let place = state.ordered.position(of: old.sortKey)
            if place != state.ordered.end && state.ordered[place].id == id {
                state.ordered.remove(at: place)
            }
        }
    }

    /// Entries matching `filter`, strictly after `after` (checkpoint paging) and skipping
    /// `offset` matches (offset paging), at most `limit` of them.
    public func select(filter: Filter, after: CatalogSortKey?, offset: Int, limit: Int, countTotal: Bool) -> Selection {
        state.withLock { state in
            var selection = Selection(entries: [], total: 0, hasMore: false)
            if let name = filter.name {
                // At most one entry has the name.
                guard let entry = state.byName[name], filter.matches(entry), after.map({ $0 < entry.sortKey }) ?? true else {
                    return selection
                }
                selection.total = 1
                if offset == 0 && limit > 0 { selection.entries = [entry] } else { selection.hasMore = offset == 0 }
                return selection
            }
            let start = after.map { state.ordered.position(after: $0) } ?? OrderedEntries.Position(chunk: 0, offset: 0)
            selection.entries.reserveCapacity(min(limit, 128))
            if filter.isEmpty && !countTotal {
                let first = state.ordered.position(start, advancedBy: offset)
                let stop = state.ordered.append(from: first, limit: limit, to: &selection.entries)
                selection.hasMore = stop != state.ordered.end
                return selection
            }
            var skipped = 0
            var place = start
            while place != state.ordered.end {
                let entry = state.ordered[place]
                place = state.ordered.position(after: place)
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
}
