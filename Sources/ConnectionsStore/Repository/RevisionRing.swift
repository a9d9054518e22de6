/// Where the SQLite store keeps a connection's revisions (migrations/0004): a ring of `size`
/// slots, revision `n` in slot `n % size`. A write past the retention overwrites the revision
/// it retires in its row, and the row's entry in the `(connection_id, slot)` index stays as it
/// is: one row rewritten per PATCH, no index page (BENCHMARKS.md, "History as rings").
///
/// The ring's size is the retention of the connection's last write. A write under another
/// retention (a restart with another `--revisions-keep`) lays that connection's ring out again
/// first; reads filter to the newest `keep` whatever the size, so a retention holds at once.
enum RevisionRing {
    /// The ring's size for a retention of `keep` revisions.
    static func size(keep: Int) -> Int { max(keep, 1) }

    /// The slot of revision `revision` on a ring of `size` slots.
    static func slot(revision: Int, size: Int) -> Int { revision % size }
}
