/// Which revisions a connection keeps: its newest `keep`, counted back from its newest revision
/// (its current one, or for a deleted connection the `delete` revision). Both backends follow it.
///
/// Retention is exact at every moment because every read of history filters to
/// `revision > newest - keep`. Physical deletes are amortized: a connection's old revisions are
/// deleted by one range statement when its revision number is a multiple of `stride`, so at most
/// `keep + stride - 1` rows are stored per connection. A delete per write cost a cold page of
/// `revisions` (and its index) on every write (docs/DECISIONS.md, "Retention").
public enum RevisionRetention {
    /// Writes between two physical deletes of a connection's old revisions.
    public static let stride = 32

    /// The revision number up to which rows may be deleted after appending `revision`, or `nil`
    /// when this append deletes nothing.
    public static func deleteBound(afterAppending revision: Int, keep: Int) -> Int? {
        guard revision % stride == 0, revision > keep else { return nil }
        return revision - keep
    }
}
