/// What a write job may do. Valid only inside the job it is passed to; it runs on the writer's
/// thread inside the group's transaction and the job's savepoint, so it sees the effects of
/// earlier jobs of the same group, and everything it does is undone if the job throws.
/// Using it outside its job throws `StoreError.transactionEnded`.
///
/// Reads of a connection here lock its row until COMMIT where the database is shared
/// (PostgreSQL's `FOR UPDATE`), so a check made on it (`If-Match`) holds across instances.
public protocol WriteTransaction: AnyObject {
    // MARK: Connections

    /// The connection as this transaction sees it, uncommitted changes of the group included.
    func connection(id: String) throws -> ConnectionRecord?

    /// The connection's revision number as this transaction sees it, `nil` when there is no
    /// such connection; its row is locked as by `connection(id:)`. What a PATCH checks before it
    /// needs the stored body (rarely: only when another write came between its judging and its
    /// turn).
    func connectionRevision(id: String) throws -> Int?

    /// Inserts a connection and appends its revision `record.revision` as `stamp` says. Throws
    /// `StoreError.nameConflict` when the name is taken and `StoreError.idConflict` when the id
    /// or the revision number is.
    func insertConnection(_ record: ConnectionRecord, stamp: RevisionStamp, keep: Int) throws

    /// Replaces the body of an existing connection (`name` and `strategy` never change) and
    /// appends its revision `record.revision` as `stamp` says. Returns whether the connection
    /// existed; nothing is written when it did not.
    @discardableResult
    func updateConnection(_ record: ConnectionRecord, stamp: RevisionStamp, keep: Int) throws -> Bool

    /// Deletes a connection and appends its revision `revision`, which holds no body, as `stamp`
    /// says. Returns whether it existed (nothing is written when it did not): of racing
    /// deletes, one sees `true`.
    @discardableResult
    func deleteConnection(id: String, revision: Int, stamp: RevisionStamp, keep: Int) throws -> Bool

    // MARK: Revisions
    //
    // Revisions are appended only by the connection writes above, in the same job, so every
    // write has its revision and every revision its write. From then on a connection's history
    // is its newest `keep` revisions (`RevisionRetention`: older rows may stay stored a while,
    // and reads leave them out). A revision number already taken throws `StoreError.idConflict`.

    /// One revision as this transaction sees it, if it is among the connection's newest `keep`.
    func revision(connectionID: String, number: Int, keep: Int) throws -> RevisionRecord?

    /// The newest revision of a connection, live or deleted; `nil` if it never existed.
    func lastRevision(connectionID: String) throws -> RevisionRecord?

    // MARK: Tenant settings

    /// The `/prompts` settings JSON as this transaction sees it.
    func tenantSettings() throws -> String?

    /// Stores the `/prompts` settings JSON.
    func setTenantSettings(_ json: String) throws

    // MARK: Clients and tokens

    /// The client as this transaction sees it.
    func client(id: String) throws -> ClientRecord?

    /// Registers a client. Throws `StoreError.clientConflict` when the client id is taken.
    func insertClient(_ client: ClientRecord) throws

    /// Marks a client revoked at `now` (unix seconds) and deletes its tokens. Returns whether an
    /// active client was revoked (`false` if unknown or already revoked).
    @discardableResult
    func revokeClient(id: String, now: Int64) throws -> Bool

    /// Stores an issued token by its hash. Throws `StoreError.unknownClient` when the client
    /// does not exist.
    func insertToken(hash: [UInt8], clientID: String, scopes: [String], expiresAt: Int64) throws

    /// Deletes tokens with `expires_at <= now` (unix seconds). Returns how many.
    @discardableResult
    func deleteExpiredTokens(now: Int64) throws -> Int

    /// Whether a client that is not revoked exists.
    func hasActiveClient() throws -> Bool

    /// The stored admin token hash, as this transaction sees it.
    func adminTokenHash() throws -> [UInt8]?

    /// Stores the hash of the admin token, replacing any earlier one; `nil` removes it.
    func setAdminTokenHash(_ hash: [UInt8]?) throws
}
