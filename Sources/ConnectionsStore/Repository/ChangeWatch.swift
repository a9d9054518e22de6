import CSQLite
import Synchronization

/// Tells, without a system call, whether any process has committed to the database since a
/// moment: the wal-index header (the first 48 bytes of the `-shm` file, which every commit
/// rewrites before it returns, https://sqlite.org/walformat.html) read from SQLite's own
/// mapping of it. What another process committed before a request arrived is seen by it: the
/// admin token that `admin-token rotate` replaced stops working at the next request, at the
/// cost of a memory compare on each.
///
/// The mapping belongs to the writer's connection; `close()` forgets it before the store closes
/// its connections, and reads hold the lock, so none reads an unmapped page.
final class ChangeWatch: Sendable {
    private let address = Mutex<UInt>(0)

    /// Remembers `database`'s mapping (on the writer thread, as it opens).
    func watch(_ database: Database) {
        let index = database.walIndexAddress
        address.withLock { $0 = index }
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
                csqlite_wal_index_header(index, buffer.baseAddress!.assumingMemoryBound(to: UInt64.self))
            }
            return marker
        }
    }
}

/// The database's commit state at one moment: equal markers mean no process committed in
/// between (a torn read only makes two markers differ).
public struct ChangeMarker: Sendable, Equatable {
    var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)

    public static func == (a: ChangeMarker, b: ChangeMarker) -> Bool {
        a.words == b.words
    }
}
