import Synchronization

/// The store's health as the writer last found it, and whoever wants to hear when it changes
/// (the server logs it). Set on the writer thread; read from any.
final class HealthMonitor: Sendable {
    private struct State {
        var health = StoreHealth.available
        var observer: (@Sendable (StoreHealth) -> Void)?
    }

    private let state = Mutex(State())

    var current: StoreHealth { state.withLock { $0.health } }

    /// The fault only a restart ends, once there is one.
    var permanentFault: StoreFault? {
        guard case .unavailable(let fault) = current, fault.isPermanent else { return nil }
        return fault
    }

    /// Records `health`; tells the observer when it differs from the last (the same fault
    /// seen again is not news, so a full disk is logged once, not once per write).
    func set(_ health: StoreHealth) {
        let observer = state.withLock { state -> (@Sendable (StoreHealth) -> Void)? in
            guard !Self.same(state.health, health) else { return nil }
            state.health = health
            return state.observer
        }
        observer?(health)
    }

    func observe(_ observer: @escaping @Sendable (StoreHealth) -> Void) {
        state.withLock { $0.observer = observer }
    }

    private static func same(_ a: StoreHealth, _ b: StoreHealth) -> Bool {
        switch (a, b) {
        case (.available, .available): return true
        case (.unavailable(let x), .unavailable(let y)): return x.cause == y.cause
        default: return false
        }
    }
}
