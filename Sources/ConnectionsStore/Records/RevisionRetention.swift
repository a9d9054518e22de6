/// Which revisions a connection keeps: its newest `keep`, counted back from its newest revision
/// (its current one, or for a deleted connection the `delete` revision). Both backends follow it.
///
/// Retention is exact at every moment because every read of history filters to
/// `revision > newest - keep`, so rows past it may stay stored for a while:
/// - SQLite keeps a ring of `keep` slots per connection and overwrites the revision it retires
///   (`RevisionRing`); a write under another `keep` (a restart with another `--revisions-keep`)
///   lays the connection's ring out again first.
/// - PostgreSQL deletes a connection's old rows by one range statement every `stride` revisions:
///   at most `keep + stride - 1` rows per connection.
///
/// docs/DECISIONS.md ("Retention") has the measurements behind this.
public enum RevisionRetention {
    /// Revisions between two range deletes of a connection's old rows (PostgreSQL).
    public static let stride = 32

    /// The revision number up to which rows may be deleted after appending `revision`, or `nil`
    /// when this append deletes nothing.
    public static func deleteBound(afterAppending revision: Int, keep: Int) -> Int? {
        guard revision % stride == 0, revision > keep else { return nil }
        return revision - keep
    }
}
