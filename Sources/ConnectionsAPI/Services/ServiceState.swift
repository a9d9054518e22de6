import ConnectionsStore
import Synchronization

/// What the handlers share: the durable store, the read model kept in step with it, and
/// the tenant settings.
final class ServiceState: Sendable {
    let store: ConnectionStore
    let catalog: ConnectionCatalog
    private let prompts: Mutex<PromptSettings>

    init(store: ConnectionStore, catalog: ConnectionCatalog, prompts: PromptSettings) {
        self.store = store
        self.catalog = catalog
        self.prompts = Mutex(prompts)
    }

    var promptSettings: PromptSettings {
        get { prompts.withLock { $0 } }
    }

    /// Called on the writer thread after the settings' commit, before the acknowledgement.
    func didCommit(_ settings: PromptSettings) {
        prompts.withLock { $0 = settings }
    }
}
