import Synchronization

/// The server-wide count of open connections against `maxConnections`. Acquired by the accepting loop,
/// released by whichever loop closes the connection.
final class ConnectionGate: Sendable {
    let capacity: Int
    private let open = Atomic<Int>(0)

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var openCount: Int { open.load(ordering: .relaxed) }

    func tryAcquire() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < capacity {
            let (exchanged, original) = open.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() {
        open.subtract(1, ordering: .relaxed)
    }
}
