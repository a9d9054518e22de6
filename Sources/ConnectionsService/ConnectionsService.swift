import ConnectionsStore
import JSON
import Synchronization
import Validation

/// The one place where connections are written: it owns the store, the catalog (the read
/// model every GET is answered from) and the tenant settings, and runs every write job:
/// create, update, delete, enabled clients, prompts and restore.
///
/// Each job is judged, then run inside the store's group commit (its own savepoint), where it
/// checks `If-Match` against what is really stored, judges again if another write got there
/// first, writes the connection and appends its revision. The catalog and the settings change
/// only through `commit`, on the writer thread after the transaction is durable and before the
/// job's completion runs: every read after an acknowledgement sees the write.
///
/// Completions get a domain result or a `ServiceError`; failures of the store pass through.
/// A job rejected before it reaches the store completes on the caller's thread.
public final class ConnectionsService: Sendable {
    public let catalog: ConnectionCatalog
    public let store: ConnectionStore
    private let prompts: Mutex<PromptSettings>
    /// How many revisions of each connection are kept (`serve --revisions-keep`).
    public let revisionsKeep: Int
    /// `serve --legacy-enabled-clients`: connections in responses carry `enabled_clients` and
    /// a PATCH may set it (API.md); otherwise the field is gone, as on a tenant created today.
    public let legacyEnabledClients: Bool
    private let clock: @Sendable () -> Int64
    private let makeID: @Sendable () -> String

    public static let defaultRevisionsKeep = 100

    /// Reads the settings from `store` and loads the catalog, before returning (`.now`) or in
    /// the background (`isLoaded`, `whenLoaded`). `clock` gives unix milliseconds for
    /// revisions; `makeID` draws new connection ids.
    public init(
        store: ConnectionStore, revisionsKeep: Int = defaultRevisionsKeep, legacyEnabledClients: Bool = false,
        loading: CatalogLoading = .now, clock: @escaping @Sendable () -> Int64, makeID: @escaping @Sendable () -> String
    ) throws {
        precondition(revisionsKeep >= 1, "at least one revision is kept")
        var settings = PromptSettings()
        if let text = try store.tenantSettings() {
            // A row this service did not write: refuse to start rather than serve the
            // defaults (Identifier First off) as if they were the tenant's settings.
            guard let object = (try? JSONParser.parse(text))?.objectValue, let stored = PromptSettings(stored: object) else {
                throw StartupError(
                    message: "database \(store.path): the stored /prompts settings (tenant_settings row 'prompts') "
                        + "are not the JSON object this service writes; fix or delete that row")
            }
            settings = stored
        }
        self.store = store
        self.catalog = ConnectionCatalog()
        self.prompts = Mutex(settings)
        self.revisionsKeep = revisionsKeep
        self.legacyEnabledClients = legacyEnabledClients
        self.clock = clock
        self.makeID = makeID
        switch loading {
        case .now:
            try loadCatalog()
            load.finish(.success(()))
        case .background(let start):
            start { [self] in load.finish(Result { try loadCatalog() }) }
        }
    }

    /// Fills the catalog with every stored connection, then follows other instances' writes
    /// (PostgreSQL keeps them unread until then, so none committed meanwhile is passed over).
    private func loadCatalog() throws {
        // One stored row in memory at a time: start-up then peaks near one copy of the
        // data, not two (issue 5's RSS budget).
        let entries = try store.mapConnectionRows { row in
            if let entry = CatalogEntry(row: row) { return entry }
            // Not the shape this version writes (an older one's, say): render it anew.
            guard let object = (try? JSONParser.parse(Array(row.body)))?.objectValue else {
                throw StartupError(message: "stored connection \(row.id) is not a JSON object")
            }
            return CatalogEntry(connection: object, revision: row.revision)
        }
        catalog.fill(entries)
        store.observeChanges { [weak self] changes in self?.catchUp(with: changes) }
    }

    // MARK: - Loading at start-up

    private let load = CatalogLoadState()

    /// Whether the catalog holds every stored connection. Until it does, nothing may be
    /// written (a write is judged against the whole catalog, and the load would not see it),
    /// lists and lookups by name would miss connections, and `connection(id:)` reads the row.
    public var isLoaded: Bool { load.isLoaded }

    /// Runs `action` once the catalog is loaded (at once, on this thread, if it is), or with
    /// the failure that stopped the load.
    public func whenLoaded(_ action: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        load.whenFinished(action)
    }

    /// Blocks until the catalog is loaded; rethrows what stopped the load (a stored
    /// connection that is not JSON, a store failure).
    public func waitUntilLoaded() throws {
        try load.wait()
    }

    /// The live connection with this id: the catalog's entry, or while the catalog is still
    /// loading, the stored row (no write commits before the load ends, so it is the entry the
    /// catalog will hold). One indexed read.
    public func connection(id: String) throws -> CatalogEntry? {
        if isLoaded { return catalog.entry(id: id) }
        if let entry = catalog.entry(id: id) { return entry }
        return try store.connection(id: id).map(entry(for:))
    }

    public struct StartupError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public var promptSettings: PromptSettings {
        prompts.withLock { $0 }
    }

    /// What the validation engine knows about the tenant, for every judgement of a write.
    var tenant: TenantSettings {
        tenant(for: promptSettings)
    }

    private func tenant(for settings: PromptSettings) -> TenantSettings {
        TenantSettings(identifierFirst: settings.identifierFirst, legacyEnabledClients: legacyEnabledClients)
    }

    // MARK: - Create

    /// Creates a connection from a POST body; completes with the stored entry.
    public func create(
        _ body: JSONObject, by actor: RevisionActor, completion: @escaping @Sendable (Result<CatalogEntry, any Error>) -> Void
    ) {
        let judgement = ConnectionJudge.judgeCreate(.object(body), tenant: tenant)
        guard judgement.isValid, let connection = judgement.connection else {
            completion(.failure(ServiceError.rejected(judgement)))
            return
        }
        let entry = CatalogEntry(connection: Self.withID(makeID(), connection), revision: 1)
        let record = entry.record
        commit(completion) { transaction in
            try transaction.insertConnection(record, stamp: self.stamp("create", by: actor), keep: self.revisionsKeep)
            return (.upsert(entry), entry)
        }
    }

    /// Judges a POST body without storing it. As on the real call, a body that is judged invalid
    /// is reported as such (the real call's 400 comes before its 409); only a valid one whose name
    /// is taken throws `nameConflict`.
    public func createDryRun(_ body: JSONObject) throws -> DryRun {
        let judgement = ConnectionJudge.judgeCreate(.object(body), tenant: tenant)
        if judgement.isValid, let name = body["name"]?.stringValue,
            !catalog.select(filter: .init(name: name), after: nil, offset: 0, limit: 1, countTotal: false).entries.isEmpty
        {
            throw ServiceError.nameConflict
        }
        return DryRun(
            judgement: judgement, connection: judgement.connection.map { Self.withID(makeID(), $0) },
            showsEnabledClients: legacyEnabledClients)
    }

    // MARK: - Update

    /// Applies a PATCH body. Judged here against the catalog's state, and judged again inside
    /// the write transaction if another write changed the connection meanwhile, so concurrent
    /// PATCHes serialise and none is applied to a stale base.
    ///
    /// Everything the common case needs (the verdict, whether anything changes, the rendered
    /// entry and row) is worked out here, on the caller's thread: the writer thread, which
    /// every write waits for in turn, only checks the revision and stores.
    public func update(
        id: String, body: JSONObject, by actor: RevisionActor, ifMatch: IfMatch?,
        completion: @escaping @Sendable (Result<WriteResult, any Error>) -> Void
    ) {
        let base: CatalogEntry
        let planned: Replacement
        do {
            base = try liveEntry(id, ifMatch: ifMatch)
            let baseObject = base.object()
            let judgement = ConnectionJudge.judgeUpdate(.object(body), stored: baseObject, tenant: tenant)
            guard judgement.isValid, let connection = judgement.connection else { throw ServiceError.rejected(judgement) }
            planned = Replacement(of: base, stored: baseObject, with: connection)
        } catch {
            completion(.failure(error))
            return
        }
        commit(locking: id, completion) { transaction in
            let current = try self.current(id, ifMatch: ifMatch, base: base, in: transaction)
            if current === base { return try self.store(planned, operation: "update", by: actor, in: transaction) }
            // Another write came in between: judged again against what it stored.
            let stored = current.object()
            let again = ConnectionJudge.judgeUpdate(.object(body), stored: stored, tenant: self.tenant)
            guard again.isValid, let connection = again.connection else { throw ServiceError.rejected(again) }
            return try self.store(
                Replacement(of: current, stored: stored, with: connection), operation: "update", by: actor, in: transaction)
        }
    }

    /// Judges a PATCH body without storing it: the verdict, the result, its changes and what
    /// it erases.
    public func updateDryRun(id: String, body: JSONObject, ifMatch: IfMatch?) throws -> DryRun {
        let entry = try liveEntry(id, ifMatch: ifMatch)
        let stored = entry.object()
        let judgement = ConnectionJudge.judgeUpdate(.object(body), stored: stored, tenant: tenant)
        return DryRun(judgement: judgement, stored: stored, body: body, showsEnabledClients: legacyEnabledClients)
    }

    // MARK: - Enabled clients

    /// Enables (`true`) or disables (`false`) the connection for each client id, in order.
    public func updateClients(
        id: String, changes: [(clientID: String, enabled: Bool)], by actor: RevisionActor, ifMatch: IfMatch?,
        completion: @escaping @Sendable (Result<WriteResult, any Error>) -> Void
    ) {
        let base: CatalogEntry
        do {
            base = try liveEntry(id, ifMatch: ifMatch)
        } catch {
            completion(.failure(error))
            return
        }
        let changes = changes.map { ($0.clientID, $0.enabled) }
        commit(locking: id, completion) { transaction in
            let current = try self.current(id, ifMatch: ifMatch, base: base, in: transaction)
            let stored = current.object()
            var clients = Set(current.enabledClients)
            for (clientID, enabled) in changes {
                if enabled { clients.insert(clientID) } else { clients.remove(clientID) }
            }
            var connection = stored
            connection["enabled_clients"] = .array(clients.sorted().map { .string($0) })
            return try self.store(
                Replacement(of: current, stored: stored, with: connection), operation: "update_clients", by: actor, in: transaction)
        }
    }

    // MARK: - Delete

    /// Deletes a connection; completes with whether it existed (of racing deletes, one sees
    /// `true`). Without `If-Match`, an id that is not live is not an error.
    public func delete(
        id: String, by actor: RevisionActor, ifMatch: IfMatch?, completion: @escaping @Sendable (Result<Bool, any Error>) -> Void
    ) {
        guard catalog.entry(id: id) != nil else {
            // The catalog holds every acknowledged connection: ids are only known after
            // their create is acknowledged.
            completion(ifMatch == nil ? .success(false) : .failure(ServiceError.preconditionFailed(currentRevision: nil)))
            return
        }
        commit(locking: id, completion) { transaction in
            // The revision number is all a delete needs (on PostgreSQL the group's lock read it).
            guard let revision = try transaction.connectionRevision(id: id) else {
                if ifMatch != nil { throw ServiceError.preconditionFailed(currentRevision: nil) }
                return (.none, false)
            }
            if let ifMatch, !ifMatch.matches(revision: revision, live: true) {
                throw ServiceError.preconditionFailed(currentRevision: revision)
            }
            try transaction.deleteConnection(
                id: id, revision: revision + 1, stamp: self.stamp("delete", by: actor), keep: self.revisionsKeep)
            return (.remove(id), true)
        }
    }

    // MARK: - Restore

    /// Whether `id` names a connection that was deleted (its history is kept): bringing it
    /// back creates it again.
    public func isDeleted(id: String) throws -> Bool {
        guard catalog.entry(id: id) == nil else { return false }
        return try store.lastRevision(connectionID: id) != nil
    }

    /// Makes the connection exactly what revision `number` recorded, judged like a PATCH
    /// against the stored connection and today's tenant settings. A deleted connection is
    /// created again with its id and name.
    public func restore(
        id: String, revision number: Int, by actor: RevisionActor, ifMatch: IfMatch?,
        completion: @escaping @Sendable (Result<WriteResult, any Error>) -> Void
    ) {
        commit(locking: id, completion) { transaction in
            var current: CatalogEntry?
            if let record = try transaction.connection(id: id) {
                current = try self.entry(for: record)
            }
            let plan = try self.restorePlan(
                id: id, number: number, last: transaction.lastRevision(connectionID: id),
                revision: transaction.revision(connectionID: id, number: number, keep: self.revisionsKeep), current: current,
                ifMatch: ifMatch)
            guard plan.judgement.isValid else { throw ServiceError.rejected(plan.judgement) }
            if let current = plan.current {
                return try self.store(
                    Replacement(of: current, stored: plan.stored ?? JSONObject(), with: plan.target), operation: "restore",
                    restoredFrom: number, by: actor, in: transaction)
            }
            let entry = CatalogEntry(connection: plan.target, revision: plan.lastRevision + 1)
            let record = entry.record
            try transaction.insertConnection(
                record, stamp: self.stamp("restore", restoredFrom: number, by: actor), keep: self.revisionsKeep)
            return (.upsert(entry), WriteResult(entry: entry, changed: true))
        }
    }

    /// Judges a restore without making it, against the catalog and the stored history.
    public func restoreDryRun(id: String, revision number: Int, ifMatch: IfMatch?) throws -> DryRun {
        let last = try store.lastRevision(connectionID: id)
        let revision = try store.revision(connectionID: id, number: number, keep: revisionsKeep)
        let plan = try restorePlan(
            id: id, number: number, last: last, revision: revision, current: catalog.entry(id: id), ifMatch: ifMatch)
        if plan.current == nil, let name = plan.target["name"]?.stringValue,
            !catalog.select(filter: .init(name: name), after: nil, offset: 0, limit: 1, countTotal: false).entries.isEmpty
        {
            throw ServiceError.nameConflict
        }
        return DryRun(
            judgement: plan.judgement, stored: plan.stored ?? JSONObject(), body: plan.target,
            showsEnabledClients: legacyEnabledClients)
    }

    private struct RestorePlan: Sendable {
        /// The live connection, or `nil` when it was deleted.
        let current: CatalogEntry?
        let stored: JSONObject?
        let lastRevision: Int
        let target: JSONObject
        let judgement: Judgement
    }

    /// What restoring `number` would store, judged; throws when it cannot be restored.
    /// `last` is the connection's newest revision, `current` its live entry.
    private func restorePlan(
        id: String, number: Int, last: RevisionRecord?, revision: RevisionRecord?, current: CatalogEntry?, ifMatch: IfMatch?
    ) throws -> RestorePlan {
        guard let last else { throw ServiceError.connectionNotFound }
        guard let revision else { throw ServiceError.revisionNotFound }
        guard let body = revision.body else { throw ServiceError.deletionNotRestorable(revision: number) }
        guard let target = (try? JSONParser.parse(body))?.objectValue else { throw StoredRevisionError(revision: number) }
        let currentRevision = current?.revision ?? last.revision
        if let ifMatch, !ifMatch.matches(revision: currentRevision, live: current != nil) {
            throw ServiceError.preconditionFailed(currentRevision: currentRevision)
        }
        let stored = current?.object()
        let judgement = ConnectionJudge.judgeState(target, stored: stored, tenant: tenant)
        return RestorePlan(current: current, stored: stored, lastRevision: last.revision, target: target, judgement: judgement)
    }

    // MARK: - History

    /// A page of the connection's history, newest first, below revision `before` (all when
    /// `nil`). Throws `connectionNotFound` for an id that never existed.
    public func revisions(id: String, before: Int?, take: Int) throws -> RevisionPage {
        let records = try store.revisions(connectionID: id, below: before ?? Int(Int64.max), limit: take + 1, keep: revisionsKeep)
        if records.isEmpty, catalog.entry(id: id) == nil, try store.lastRevision(connectionID: id) == nil {
            throw ServiceError.connectionNotFound
        }
        return RevisionPage(revisions: try records.prefix(take).map(Revision.init), hasMore: records.count > take)
    }

    /// One revision, with the connection it recorded.
    public func revision(id: String, number: Int) throws -> Revision {
        guard let record = try store.revision(connectionID: id, number: number, keep: revisionsKeep) else {
            if catalog.entry(id: id) == nil, try store.lastRevision(connectionID: id) == nil { throw ServiceError.connectionNotFound }
            throw ServiceError.revisionNotFound
        }
        return try Revision(record)
    }

    // MARK: - Prompts

    /// Changes the tenant settings. Merged on the writer thread, so concurrent changes each
    /// see the last one.
    public func updatePrompts(
        _ change: @escaping @Sendable (inout PromptSettings) -> Void,
        completion: @escaping @Sendable (Result<PromptSettings, any Error>) -> Void
    ) {
        commit(completion) { transaction in
            var settings = self.promptSettings
            change(&settings)
            try transaction.setTenantSettings(JSONWriter.string(settings.json))
            return (.prompts(settings), settings)
        }
    }

    /// A stored connection a settings change would break.
    public struct AffectedConnection: Sendable {
        public let id: String
        public let name: String
        /// Every violation under the new settings, errors and warnings.
        public let violations: [Violation]
    }

    /// What a settings change would do, without making it: the merged settings, and every
    /// stored connection that has an error under them and had none before, in list order.
    public func promptsDryRun(_ change: (inout PromptSettings) -> Void) -> (settings: PromptSettings, affected: [AffectedConnection]) {
        let before = promptSettings
        var after = before
        change(&after)
        guard tenant(for: after) != tenant(for: before) else { return (after, []) }
        let all = catalog.select(filter: .init(), after: nil, offset: 0, limit: Int.max, countTotal: false).entries
        var affected: [AffectedConnection] = []
        for entry in all {
            let connection = entry.object()
            let now = ConnectionJudge.judgeState(connection, stored: connection, tenant: tenant(for: after))
            guard !now.isValid else { continue }
            guard ConnectionJudge.judgeState(connection, stored: connection, tenant: tenant(for: before)).isValid else { continue }
            affected.append(AffectedConnection(id: entry.id, name: entry.name, violations: now.violations))
        }
        return (after, affected)
    }

    // MARK: - The commit path

    private enum CatalogChange: Sendable {
        case none
        case upsert(CatalogEntry)
        case remove(String)
        case prompts(PromptSettings)
        case several([CatalogChange])
    }

    /// What other instances committed, read again through the commit path: in a job of its
    /// own, so it reaches the catalog in commit order with this instance's writes (a row read
    /// here is never older than a write of ours that completed before it).
    private func catchUp(with changes: [StoreChange]) {
        commit({ (_: Result<Void, any Error>) in }) { transaction in
            var catalogChanges: [CatalogChange] = []
            func reread(_ id: String) throws {
                if let record = try transaction.connection(id: id) {
                    catalogChanges.append(.upsert(try self.entry(for: record)))
                } else {
                    catalogChanges.append(.remove(id))
                }
            }
            func rereadSettings() throws {
                guard let text = try transaction.tenantSettings(),
                    let object = (try? JSONParser.parse(text))?.objectValue, let settings = PromptSettings(stored: object)
                else { return }
                catalogChanges.append(.prompts(settings))
            }
            for change in changes {
                switch change {
                case .connection(let id):
                    try reread(id)
                case .tenantSettings:
                    try rereadSettings()
                case .everything(let ids):
                    for id in self.catalog.ids.union(ids).sorted() { try reread(id) }
                    try rereadSettings()
                }
            }
            return (.several(catalogChanges), ())
        }
    }

    /// Runs `work` through the store's group commit; once its transaction is durable, applies
    /// the catalog change it returns, then completes with its value. The one path by which
    /// writes reach the catalog and the settings: always after the commit, before the reply.
    /// `locking`: the connection the job reads (the store's hint).
    private func commit<T: Sendable>(
        locking id: String? = nil,
        _ completion: @escaping @Sendable (Result<T, any Error>) -> Void,
        _ work: @escaping @Sendable (WriteTransaction) throws -> (CatalogChange, T)
    ) {
        store.write(locking: id.map { [$0] } ?? [], work) { result in
            switch result {
            case .success(let (change, value)):
                self.apply(change)
                completion(.success(value))
            case .failure(StoreError.nameConflict):
                completion(.failure(ServiceError.nameConflict))
            case .failure(let error):
                completion(.failure(error))
            }
        }
    }

    private func apply(_ change: CatalogChange) {
        switch change {
        case .none: break
        case .upsert(let entry): catalog.upsert(entry)
        case .remove(let id): catalog.remove(id: id)
        case .prompts(let settings): prompts.withLock { $0 = settings }
        case .several(let changes): for change in changes { apply(change) }
        }
    }

    // MARK: - Helpers

    /// The catalog's entry for a live connection; throws 404 (412 under `If-Match`) otherwise,
    /// and 412 when `If-Match` already fails against it.
    private func liveEntry(_ id: String, ifMatch: IfMatch?) throws -> CatalogEntry {
        guard let entry = catalog.entry(id: id) else {
            throw ifMatch == nil ? ServiceError.connectionNotFound : ServiceError.preconditionFailed(currentRevision: nil)
        }
        if let ifMatch, !ifMatch.matches(revision: entry.revision, live: true) {
            throw ServiceError.preconditionFailed(currentRevision: entry.revision)
        }
        return entry
    }

    /// Inside a job: the connection as stored, checked against `If-Match`. Returns `base` itself
    /// when nothing changed it since it was judged, else the stored row's entry.
    private func current(
        _ id: String, ifMatch: IfMatch?, base: CatalogEntry, in transaction: WriteTransaction
    ) throws -> CatalogEntry {
        guard let revision = try transaction.connectionRevision(id: id) else {
            throw ifMatch == nil ? ServiceError.connectionNotFound : ServiceError.preconditionFailed(currentRevision: nil)
        }
        if let ifMatch, !ifMatch.matches(revision: revision, live: true) {
            throw ServiceError.preconditionFailed(currentRevision: revision)
        }
        // Every change appends a revision: the same number is the same connection.
        if revision == base.revision { return base }
        guard let record = try transaction.connection(id: id) else { throw ServiceError.connectionNotFound }
        return try entry(for: record)
    }

    /// The entry for a stored row: the catalog's when it is that revision, else made from the row.
    private func entry(for record: ConnectionRecord) throws -> CatalogEntry {
        if let entry = catalog.entry(id: record.id), entry.revision == record.revision { return entry }
        if let entry = CatalogEntry(stored: record) { return entry }
        guard let object = (try? JSONParser.parse(record.body))?.objectValue else { throw StoredRevisionError(revision: record.revision) }
        return CatalogEntry(connection: object, revision: record.revision)
    }

    /// Inside a job: stores a replacement and appends its revision, unless it changes nothing
    /// (then nothing is written and no revision appended).
    private func store(
        _ replacement: Replacement, operation: String, restoredFrom: Int? = nil, by actor: RevisionActor,
        in transaction: WriteTransaction
    ) throws -> (CatalogChange, WriteResult) {
        guard let (entry, record) = replacement.change else { return (.none, WriteResult(entry: replacement.current, changed: false)) }
        let stamp = stamp(operation, restoredFrom: restoredFrom, by: actor)
        guard try transaction.updateConnection(record, stamp: stamp, keep: revisionsKeep) else {
            throw ServiceError.connectionNotFound
        }
        return (.upsert(entry), WriteResult(entry: entry, changed: true))
    }

    /// What the revision of a write made now by `actor` records.
    private func stamp(_ operation: String, restoredFrom: Int? = nil, by actor: RevisionActor) -> RevisionStamp {
        RevisionStamp(createdAt: clock(), operation: operation, actorClientID: actor.clientID, restoredFrom: restoredFrom)
    }

    static func withID(_ id: String, _ connection: JSONObject) -> JSONObject {
        var members = [JSONObject.Member(key: "id", value: .string(id))]
        members.append(contentsOf: connection.members.filter { $0.key != "id" })
        return JSONObject(members: members)
    }
}
