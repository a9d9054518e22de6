import ConnectionsStore
import Synchronization
import Validation

/// What the handlers share: the durable store, the read model kept in step with it, and
/// the tenant settings.
final class ServiceState: Sendable {
    let store: ConnectionStore
    let catalog: ConnectionCatalog
    private let prompts: Mutex<PromptSettings>
    /// `serve --legacy-enabled-clients`: connections in responses carry `enabled_clients` and
    /// a PATCH may set it (API.md); otherwise the field is gone, as on a tenant created today.
    let legacyEnabledClients: Bool

    init(store: ConnectionStore, catalog: ConnectionCatalog, prompts: PromptSettings, legacyEnabledClients: Bool) {
        self.store = store
        self.catalog = catalog
        self.prompts = Mutex(prompts)
        self.legacyEnabledClients = legacyEnabledClients
    }

    var promptSettings: PromptSettings {
        get { prompts.withLock { $0 } }
    }

    /// What the validation engine needs to know about the tenant.
    var tenant: TenantSettings {
        TenantSettings(identifierFirst: promptSettings.identifierFirst, legacyEnabledClients: legacyEnabledClients)
    }

    /// Runs `work` through the store's group commit; once its transaction is durable, puts the
    /// entry it returns into the catalog and answers with `answer(entry)`. The one path by
    /// which connection writes reach the catalog: always after the commit, before the reply.
    func commit(
        _ exchange: Exchange, _ work: @escaping @Sendable (WriteTransaction) throws -> CatalogEntry,
        answer: @escaping @Sendable (CatalogEntry) -> HTTPResponse
    ) {
        let catalog = self.catalog
        store.write(work) { result in
            exchange.finish(
                result.map { entry in
                    catalog.upsert(entry)
                    return answer(entry)
                })
        }
    }

    /// Called on the writer thread after the settings' commit, before the acknowledgement.
    func didCommit(_ settings: PromptSettings) {
        prompts.withLock { $0 = settings }
    }
}
