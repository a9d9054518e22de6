/// The catalog's entries in list order (`CatalogSortKey`), kept in chunks of at most
/// `maxChunk` so that an insert or a removal moves one chunk's tail, not the whole list's.
///
/// One sorted array moved ~400 KB of references per create at 100,000 connections (half the
/// list, on the writer thread, inside the catalog's lock); here it moves at most `maxChunk`
/// references, plus the chunk list (one reference per `maxChunk` entries) when a chunk splits
/// or empties. Lookups binary-search the chunks by their last key, then the chunk.
struct OrderedEntries {
    /// A place in the list: a chunk and an offset in it. `chunk == chunks.count` is the end.
    struct Position: Equatable {
        var chunk: Int
        var offset: Int
    }

    /// 512 references: 4 KiB to move at most, and 200 chunks at 100,000 connections.
    static let defaultMaxChunk = 512

    private let maxChunk: Int
    /// Never holds an empty chunk.
    private var chunks: [[CatalogEntry]] = []

    /// `sorted` must be in list order.
    init(sorted: [CatalogEntry], maxChunk: Int = defaultMaxChunk) {
        precondition(maxChunk >= 2, "a chunk splits in two halves")
        self.maxChunk = maxChunk
        // Half full, so that the first inserts after a load do not all split.
        let fill = max(1, maxChunk / 2)
        var start = 0
        while start < sorted.count {
            let end = min(start + fill, sorted.count)
            chunks.append(Array(sorted[start..<end]))
            start = end
        }
    }

    /// Entries in all (tests; the catalog counts its dictionary).
    var count: Int { chunks.reduce(0) { $0 + $1.count } }

    var end: Position { Position(chunk: chunks.count, offset: 0) }

    subscript(position: Position) -> CatalogEntry {
        chunks[position.chunk][position.offset]
    }

    /// The first position whose key is not less than `key` (`end` if none).
    func position(of key: CatalogSortKey) -> Position {
        position { !($0 < key) }
    }

    /// The first position whose key is greater than `key` (`end` if none).
    func position(after key: CatalogSortKey) -> Position {
        position { key < $0 }
    }

    /// The first position whose key satisfies `isAtOrPast`, which must be false then true along
    /// the list.
    private func position(where isAtOrPast: (CatalogSortKey) -> Bool) -> Position {
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrPast(chunks[middle][chunks[middle].count - 1].sortKey) { high = middle } else { low = middle + 1 }
        }
        guard low < chunks.count else { return end }
        let chunk = chunks[low]
        var first = 0
        var last = chunk.count
        while first < last {
            let middle = (first + last) / 2
            if isAtOrPast(chunk[middle].sortKey) { last = middle } else { first = middle + 1 }
        }
        return Position(chunk: low, offset: first)
    }

    /// The position `distance` entries after `position`, or `end`.
    func position(_ position: Position, advancedBy distance: Int) -> Position {
        var chunk = position.chunk
        var remaining = position.offset + distance
        while chunk < chunks.count && remaining >= chunks[chunk].count {
            remaining -= chunks[chunk].count
            chunk += 1
        }
        return chunk < chunks.count ? Position(chunk: chunk, offset: remaining) : end
    }

    /// The position after `position`, which must not be `end`.
    func position(after position: Position) -> Position {
        position.offset + 1 < chunks[position.chunk].count
            ? Position(chunk: position.chunk, offset: position.offset + 1) : Position(chunk: position.chunk + 1, offset: 0)
    }

    /// Appends the entries from `start` on, at most `limit` of them; returns where it stopped.
    func append(from start: Position, limit: Int, to entries: inout [CatalogEntry]) -> Position {
        var position = start
        var remaining = limit
        while remaining > 0 && position.chunk < chunks.count {
            let chunk = chunks[position.chunk]
            let taken = min(remaining, chunk.count - position.offset)
            entries.append(contentsOf: chunk[position.offset..<position.offset + taken])
            remaining -= taken
            position = self.position(position, advancedBy: taken)
        }
        return position
    }

    /// Inserts `entry` at its place in list order.
    mutating func insert(_ entry: CatalogEntry) {
        guard !chunks.isEmpty else {
            chunks.append([entry])
            return
        }
        var place = position(of: entry.sortKey)
        if place == end { place = Position(chunk: chunks.count - 1, offset: chunks[chunks.count - 1].count) }
        chunks[place.chunk].insert(entry, at: place.offset)
        if chunks[place.chunk].count > maxChunk {
            let half = chunks[place.chunk].count / 2
            let upper = Array(chunks[place.chunk][half...])
            chunks[place.chunk].removeSubrange(half...)
            chunks.insert(upper, at: place.chunk + 1)
        }
    }

    /// Replaces the entry at `position` with one of the same key.
    mutating func replace(at position: Position, with entry: CatalogEntry) {
        chunks[position.chunk][position.offset] = entry
    }

    /// Removes the entry at `position`.
    mutating func remove(at position: Position) {
        chunks[position.chunk].remove(at: position.offset)
        if chunks[position.chunk].isEmpty { chunks.remove(at: position.chunk) }
    }
}
