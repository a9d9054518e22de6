import CSQLite
import Synchronization

/// Tells, without a system call, whether another process has committed to the database since a
/// moment: the wal-index header (the first 48 bytes of the `-shm` file, which every commit
/// rewrites before it returns, https://sqlite.org/walformat.html) read from SQLite's own
/// mapping of it. What another process committed before a request arrived is seen by it: the
/// admin token that `admin-token rotate` replaced stops working at the next request, at the
/// cost of a memory compare on each.
///
/// This server's own commits change the header too; the writer accounts for them so they do
/// not count as another's. With its write lock held (after `BEGIN IMMEDIATE`) nobody else can
/// commit, so the header then shows every commit so far: if its counter (`iChange`, one per
/// commit that wrote WAL frames) is not the one the writer's last commit left, another process
/// committed in between (`foreign` grows). The writer's own commit then leaves that counter
/// plus one if it wrote frames (a WAL hook tells), unchanged if it did not: computed, not read
/// after COMMIT, when another process may already have committed again.
///
/// The mapping belongs to the writer's connection; `close()` forgets it before the store closes
/// its connections, and reads hold the lock, so none reads an unmapped page.
final class ChangeWatch: Sendable {
    private struct Own {
        /// `iChange` after the writer's last commit.
        var expected: UInt32?
        /// `iChange` before the transaction in progress commits.
        var before: UInt32?
        /// Commits by others the writer has found so far.
        var foreign: UInt64 = 0
    }

    private let address = Mutex<UInt>(0)
    private let own = Mutex(Own())

    /// Remembers `database`'s mapping (on the writer thread, as it opens).
    func watch(_ database: Database) {
        let index = database.walIndexAddress
        address.withLock { $0 = index }
        let change = marker?.change
        own.withLock { $0.expected = change }
    }

    func close() {
        address.withLock { $0 = 0 }
    }

    /// The current header, `nil` without a wal-index (`:memory:`, after close).
    var marker: ChangeMarker? {
        address.withLock { address -> ChangeMarker? in
            guard address != 0, let index = UnsafeRawPointer(bitPattern: address) else { return nil }
            var marker = ChangeMarker()
            withUnsafeMutableBytes(of: &marker.words) { buffer in
                marker.change = csqlite_wal_index_header(index, buffer.baseAddress!.assumingMemoryBound(to: UInt64.self))
            }
            return marker
        }
    }

    /// Called by the writer with its write lock held, before its transaction's COMMIT.
    func writerWillCommit() {
        let change = marker?.change
        own.withLock { own in
            if own.expected != change { own.foreign &+= 1 }
            own.before = change
        }
    }

    /// Called by the writer once its COMMIT succeeded; `wroteFrames`: whether it wrote any
    /// (and so incremented `iChange`).
    func writerCommitted(wroteFrames: Bool) {
        own.withLock { own in own.expected = wroteFrames ? own.before.map { $0 &+ 1 } : own.before }
    }

    /// Now, for `committedByOthers(since:)`.
    var stamp: ChangeStamp {
        let foreign = own.withLock { $0.foreign }
        return ChangeStamp(marker: marker, foreign: foreign)
    }

    /// Whether a process other than this store's writer may have committed since `stamp`.
    /// `false` only when nothing changed, or when every commit since was the writer's own.
    func committedByOthers(since stamp: ChangeStamp) -> Bool {
        let now = marker
        guard now != stamp.marker else { return false }
        return own.withLock { own in now?.change != own.expected || own.foreign != stamp.foreign }
    }
}

/// The database's commit state at one moment: equal markers mean no process committed in
/// between (a torn read only makes two markers differ).
public struct ChangeMarker: Sendable, Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    /// The header's commit counter.
    var change: UInt32 = 0

    public static func == (a: ChangeMarker, b: ChangeMarker) -> Bool {
        a.words == b.words
    }
}

/// A moment as `SQLiteStore.committedByOthers(since:)` compares it.
public struct ChangeStamp: Sendable, Equatable {
    let marker: ChangeMarker?
    let foreign: UInt64
}
