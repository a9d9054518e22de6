import ConnectionsStore
import JSON

/// A stored connection's replacement, worked out before its write job runs: whether it changes
/// anything and, if it does, the entry the catalog will hold and the row the store keeps.
///
/// Comparing, rendering and making the row's text cost more than the store's own work for a
/// PATCH. A PATCH works them out on its caller's thread, so the writer thread, which every
/// write waits for in turn, only checks the revision and stores (BENCHMARKS.md, "History full:
/// the steady state of a long-lived server").
struct Replacement: Sendable {
    /// The entry being replaced.
    let current: CatalogEntry
    /// What is written: the new entry, one revision on, and its row; `nil` when the connection
    /// equals what is stored (then nothing is written).
    let change: (entry: CatalogEntry, record: ConnectionRecord)?

    /// `stored` is `current`'s value; `connection` the judged result.
    init(of current: CatalogEntry, stored: JSONObject, with connection: JSONObject) {
        self.current = current
        if JSONEquality.same(stored, connection) {
            change = nil
        } else {
            let entry = CatalogEntry(connection: connection, revision: current.revision + 1)
            change = (entry, entry.record)
        }
    }
}
