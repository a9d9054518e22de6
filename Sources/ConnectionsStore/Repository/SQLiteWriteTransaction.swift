import CSQLite

/// What a write job may do. Valid only inside the job it is passed to; it runs on the writer
/// thread inside the batch's transaction and the job's savepoint, so it sees the effects of
/// earlier jobs of the same batch, and everything it does is undone if the job throws.
///
/// Not `Sendable`: it wraps the writer thread's connection.
final class SQLiteWriteTransaction: WriteTransaction {
    private let database: Database
    /// True only while a job runs; use outside a job throws `StoreError.transactionEnded`.
    var isActive = false

    init(database: Database) {
        self.database = database
    }

    private func checkActive() throws {
        guard isActive else { throw StoreError.transactionEnded }
    }

    // MARK: Connections

    /// The connection as this transaction sees it, uncommitted changes of the batch included.
    public func connection(id: String) throws -> ConnectionRecord? {
        try checkActive()
        return try database.connectionRecord(id: id)
    }

    public func connectionRevision(id: String) throws -> Int? {
        try checkActive()
        return try database.connectionRevision(id: id)
    }

    /// Inserts a connection and appends its first revision, which holds its body (the
    /// `connections` row keeps only what never changes: migrations/0003). Throws
    /// `StoreError.nameConflict` when the name is taken and `StoreError.idConflict` when the id
    /// or the revision number is.
    public func insertConnection(_ record: ConnectionRecord, stamp: RevisionStamp, keep: Int) throws {
        try checkActive()
        let statement = try database.cachedStatement(SQL.insertConnection)
        defer { statement.reset() }
        try statement.bind(record.id, at: 1)
        try statement.bind(record.name, at: 2)
        try statement.bind(ConnectionRecord.nameKey(record.name), at: 3)
        try statement.bind(record.strategy, at: 4)
        do {
            try statement.run()
        } catch let error where error.code == SQLITE_CONSTRAINT_UNIQUE_CODE {
            // `name` is the only UNIQUE column of `connections`; `id` is its PRIMARY KEY.
            throw StoreError.nameConflict
        } catch let error where error.code == SQLITE_CONSTRAINT_PRIMARYKEY_CODE {
            throw StoreError.idConflict
        }
        try appendRevision(RevisionRecord(connectionID: record.id, revision: record.revision, stamp: stamp, body: record.body), keep: keep)
    }

    /// Appends the connection's new revision, which is its body from then on: the row in
    /// `connections` does not change (`name` and `strategy` never do). Returns whether the
    /// connection existed.
    @discardableResult
    public func updateConnection(_ record: ConnectionRecord, stamp: RevisionStamp, keep: Int) throws -> Bool {
        try checkActive()
        guard try database.connectionExists(id: record.id) else { return false }
        try appendRevision(RevisionRecord(connectionID: record.id, revision: record.revision, stamp: stamp, body: record.body), keep: keep)
        return true
    }

    /// Deletes a connection and appends its `delete` revision. Returns whether it existed: of
    /// racing deletes, one sees `true`.
    @discardableResult
    public func deleteConnection(id: String, revision: Int, stamp: RevisionStamp, keep: Int) throws -> Bool {
        try checkActive()
        let statement = try database.cachedStatement(SQL.deleteConnection)
        defer { statement.reset() }
        try statement.bind(id, at: 1)
        try statement.run()
        guard database.changes > 0 else { return false }
        try appendRevision(RevisionRecord(connectionID: id, revision: revision, stamp: stamp, body: nil), keep: keep)
        return true
    }

    // MARK: Revisions

    /// Appends a revision; the connection's history is its newest `keep` revisions from then on.
    /// Throws `StoreError.idConflict` unless the number is above the connection's newest.
    private func appendRevision(_ record: RevisionRecord, keep: Int) throws {
        let size = RevisionRing.size(keep: keep)
        if try !changeHistory(SQL.advanceHead, record, size: size) {
            if let head = try storedHead(connectionID: record.connectionID) {
                guard record.revision > head else { throw StoreError.idConflict }
                // The ring has another size (`RevisionRing`): what stays of it moves to the new layout.
                try relayRing(connectionID: record.connectionID, size: size, keepingAbove: record.revision - size)
                try changeHistory(SQL.updateHistory, record, size: size)
            } else {
                try changeHistory(SQL.insertHistory, record, size: size)
            }
        }
        // Nearly every write past the ring's first `size` overwrites; the others append.
        if try !write(record, size: size, by: database.cachedStatement(SQL.overwriteSlot)) {
            try write(record, size: size, by: database.cachedStatement(SQL.insertSlot))
        }
    }

    /// Runs a `histories` write of `SQL` (parameters: the connection, the revision, the ring's
    /// size); returns whether it changed a row.
    @discardableResult
    private func changeHistory(_ sql: StaticString, _ record: RevisionRecord, size: Int) throws -> Bool {
        let statement = try database.cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(record.connectionID, at: 1)
        try statement.bind(record.revision, at: 2)
        try statement.bind(size, at: 3)
        try statement.run()
        return database.changes > 0
    }

    private func storedHead(connectionID: String) throws -> Int? {
        let statement = try database.cachedStatement(SQL.selectHead)
        defer { statement.reset() }
        try statement.bind(connectionID, at: 1)
        return try statement.step() ? statement.int(at: 0) : nil
    }

    /// Runs `statement` (`SQL.overwriteSlot` or `SQL.insertSlot`) with the record's columns;
    /// returns whether it wrote a row.
    @discardableResult
    private func write(_ record: RevisionRecord, size: Int, by statement: Statement) throws -> Bool {
        defer { statement.reset() }
        try statement.bind(record.connectionID, at: 1)
        try statement.bind(RevisionRing.slot(revision: record.revision, size: size), at: 2)
        try statement.bind(record.revision, at: 3)
        try statement.bind(record.createdAt, at: 4)
        try statement.bind(record.operation, at: 5)
        try statement.bind(record.actorClientID, at: 6)
        try statement.bind(record.restoredFrom.map { Int64($0) }, at: 7)
        try statement.bind(record.body, at: 8)
        try statement.run()
        return database.changes > 0
    }

    /// Lays the connection's ring out on `size` slots, keeping the revisions numbered above
    /// `bound` (fewer than `size`, so no two share a slot) and deleting the rest.
    private func relayRing(connectionID: String, size: Int, keepingAbove bound: Int) throws {
        let aside = try database.cachedStatement(SQL.moveSlotsAside)
        defer { aside.reset() }
        try aside.bind(connectionID, at: 1)
        try aside.bind(size, at: 2)
        try aside.bind(bound, at: 3)
        try aside.run()
        for sql in [SQL.deleteRing, SQL.moveSlotsBack] {
            let statement = try database.cachedStatement(sql)
            defer { statement.reset() }
            try statement.bind(connectionID, at: 1)
            try statement.run()
        }
    }

    /// One revision as this transaction sees it, if it is among the connection's newest `keep`.
    public func revision(connectionID: String, number: Int, keep: Int) throws -> RevisionRecord? {
        try checkActive()
        return try database.revisionRecord(connectionID: connectionID, revision: number, keep: keep)
    }

    /// The newest revision of a connection, live or deleted; `nil` if it never existed.
    public func lastRevision(connectionID: String) throws -> RevisionRecord? {
        try checkActive()
        return try database.lastRevisionRecord(connectionID: connectionID)
    }

    // MARK: Tenant settings

    /// The `/prompts` settings JSON as this transaction sees it.
    public func tenantSettings() throws -> String? {
        try checkActive()
        return try database.setting(SQL.tenantSettingsKey)
    }

    /// Stores the `/prompts` settings JSON.
    public func setTenantSettings(_ json: String) throws {
        try checkActive()
        let statement = try database.cachedStatement(SQL.upsertSetting)
        defer { statement.reset() }
        try statement.bind(SQL.tenantSettingsKey, at: 1)
        try statement.bind(json, at: 2)
        try statement.run()
    }

    // MARK: Clients and tokens

    /// The client as this transaction sees it.
    public func client(id: String) throws -> ClientRecord? {
        try checkActive()
        return try database.clientRecord(id: id)
    }

    /// Registers a client. Throws `StoreError.clientConflict` when the client id is taken.
    public func insertClient(_ client: ClientRecord) throws {
        try checkActive()
        let statement = try database.cachedStatement(SQL.insertClient)
        defer { statement.reset() }
        try statement.bind(client.clientID, at: 1)
        try statement.bind(client.name, at: 2)
        try statement.bind(client.secretHash, at: 3)
        try statement.bind(Scopes.encode(client.scopes), at: 4)
        try statement.bind(client.createdAt, at: 5)
        try statement.bind(client.revokedAt, at: 6)
        do {
            try statement.run()
        } catch let error where error.isUniqueConstraint {
            throw StoreError.clientConflict
        }
    }

    /// Marks a client revoked at `now` (unix seconds) and deletes its tokens. Returns whether an
    /// active client was revoked (`false` if unknown or already revoked).
    @discardableResult
    public func revokeClient(id: String, now: Int64) throws -> Bool {
        try checkActive()
        let revoke = try database.cachedStatement(SQL.revokeClient)
        defer { revoke.reset() }
        try revoke.bind(now, at: 1)
        try revoke.bind(id, at: 2)
        try revoke.run()
        let revoked = database.changes > 0
        let deleteTokens = try database.cachedStatement(SQL.deleteClientTokens)
        defer { deleteTokens.reset() }
        try deleteTokens.bind(id, at: 1)
        try deleteTokens.run()
        return revoked
    }

    /// Stores an issued token by its hash. Throws `StoreError.unknownClient` when the client
    /// does not exist.
    public func insertToken(hash: [UInt8], clientID: String, scopes: [String], expiresAt: Int64) throws {
        try checkActive()
        let statement = try database.cachedStatement(SQL.insertToken)
        defer { statement.reset() }
        try statement.bind(hash, at: 1)
        try statement.bind(clientID, at: 2)
        try statement.bind(Scopes.encode(scopes), at: 3)
        try statement.bind(expiresAt, at: 4)
        do {
            try statement.run()
        } catch let error where error.code == SQLITE_CONSTRAINT_FOREIGNKEY_CODE {
            throw StoreError.unknownClient
        }
    }

    /// Deletes tokens with `expires_at <= now` (unix seconds). Returns how many.
    @discardableResult
    public func deleteExpiredTokens(now: Int64) throws -> Int {
        try checkActive()
        let statement = try database.cachedStatement(SQL.deleteExpiredTokens)
        defer { statement.reset() }
        try statement.bind(now, at: 1)
        try statement.run()
        return database.changes
    }

    /// Whether a client that is not revoked exists.
    public func hasActiveClient() throws -> Bool {
        try checkActive()
        return try database.activeClientExists()
    }

    /// The stored admin token hash, as this transaction sees it.
    public func adminTokenHash() throws -> [UInt8]? {
        try checkActive()
        return try database.storedAdminTokenHash()
    }

    /// Stores the hash of the admin token, replacing any earlier one; `nil` removes it.
    public func setAdminTokenHash(_ hash: [UInt8]?) throws {
        try checkActive()
        let statement = try database.cachedStatement(hash == nil ? SQL.deleteAdminTokenHash : SQL.upsertAdminTokenHash)
        defer { statement.reset() }
        if let hash { try statement.bind(hash, at: 1) }
        try statement.run()
    }
}
