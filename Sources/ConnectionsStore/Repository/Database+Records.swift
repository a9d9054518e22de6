/// Typed reads shared by the read pool and `WriteTransaction`. Every statement is reset before
/// returning, so no read transaction outlives the call and later reads see later commits.
extension Database {
    /// The row of `sql` whose one parameter, a key, is `key`, made by `row`; `nil` when there is none.
    private func row<Row>(_ sql: StaticString, key: String, _ row: (Statement) throws -> Row) throws -> Row? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(key, at: 1)
        return try statement.step() ? row(statement) : nil
    }

    func connectionRecord(id: String) throws -> ConnectionRecord? {
        try row(SQL.selectConnection, key: id, ConnectionRecord.init(row:))
    }

    func connectionExists(id: String) throws -> Bool {
        try row(SQL.connectionExists, key: id) { _ in true } ?? false
    }

    func connectionRevision(id: String) throws -> Int? {
        try row(SQL.selectConnectionRevision, key: id) { $0.int(at: 0) }
    }

    func allConnectionRecords() throws -> [ConnectionRecord] {
        var records: [ConnectionRecord] = []
        try forEachConnectionRecord(from: .first, before: nil) { records.append($0) }
        return records
    }

    /// Visits the connections from `lower` (included) up to `upper` (excluded, or to the end)
    /// in list order, one row in memory at a time.
    func forEachConnectionRecord(
        from lower: ConnectionOrderKey, before upper: ConnectionOrderKey?, _ visit: (ConnectionRecord) throws -> Void
    ) throws {
        try forEachConnectionRow(from: lower, before: upper) { try visit($0.record) }
    }

    /// The same, each body handed over in SQLite's buffer (valid until the next step).
    func forEachConnectionRow(
        from lower: ConnectionOrderKey, before upper: ConnectionOrderKey?, _ visit: (ConnectionRow) throws -> Void
    ) throws {
        let statement = try cachedStatement(upper == nil ? SQL.selectConnectionsFrom : SQL.selectConnectionsBetween)
        defer { statement.reset() }
        try statement.bind(lower.nameKey, at: 1)
        try statement.bind(lower.id, at: 2)
        if let upper {
            try statement.bind(upper.nameKey, at: 3)
            try statement.bind(upper.id, at: 4)
        }
        while try statement.step() {
            let id = statement.string(at: 0)
            let name = statement.string(at: 1)
            let strategy = statement.string(at: 2)
            let revision = Int(statement.int64(at: 4))
            try statement.withText(at: 3) { body in
                try visit(ConnectionRow(id: id, name: name, strategy: strategy, body: body, revision: revision))
            }
        }
    }

    func connectionCount() throws -> Int {
        let statement = try cachedStatement(SQL.countConnections)
        defer { statement.reset() }
        return try statement.step() ? Int(statement.int64(at: 0)) : 0
    }

    /// The list-order key of the connection at `offset` (from 0), if there is one.
    func connectionOrderKey(at offset: Int) throws -> ConnectionOrderKey? {
        let statement = try cachedStatement(SQL.selectConnectionOrderKey)
        defer { statement.reset() }
        try statement.bind(offset, at: 1)
        return try statement.step() ? ConnectionOrderKey(nameKey: statement.string(at: 0), id: statement.string(at: 1)) : nil
    }

    /// Revision `revision` if it is among the connection's newest `keep`.
    func revisionRecord(connectionID: String, revision: Int, keep: Int) throws -> RevisionRecord? {
        let statement = try cachedStatement(SQL.selectRevision)
        defer { statement.reset() }
        try statement.bind(connectionID, at: 1)
        try statement.bind(revision, at: 2)
        try statement.bind(keep, at: 3)
        return try statement.step() ? RevisionRecord(row: statement) : nil
    }

    func lastRevisionRecord(connectionID: String) throws -> RevisionRecord? {
        try row(SQL.selectLastRevision, key: connectionID, RevisionRecord.init(row:))
    }

    /// At most `limit` revisions numbered below `revision`, newest first, without bodies, among
    /// the connection's newest `keep`.
    func revisionRecords(connectionID: String, below revision: Int, limit: Int, keep: Int) throws -> [RevisionRecord] {
        let statement = try cachedStatement(SQL.selectRevisionsBelow)
        defer { statement.reset() }
        try statement.bind(connectionID, at: 1)
        try statement.bind(revision, at: 2)
        try statement.bind(limit, at: 3)
        try statement.bind(keep, at: 4)
        var records: [RevisionRecord] = []
        while try statement.step() { records.append(RevisionRecord(row: statement)) }
        return records
    }

    func setting(_ key: String) throws -> String? {
        try row(SQL.selectSetting, key: key) { $0.string(at: 0) }
    }

    func clientRecord(id: String) throws -> ClientRecord? {
        try row(SQL.selectClient, key: id, ClientRecord.init(row:))
    }

    func allClientRecords() throws -> [ClientRecord] {
        let statement = try cachedStatement(SQL.selectAllClients)
        defer { statement.reset() }
        var records: [ClientRecord] = []
        while try statement.step() { records.append(ClientRecord(row: statement)) }
        return records
    }

    func activeClientExists() throws -> Bool {
        let statement = try cachedStatement(SQL.selectActiveClientExists)
        defer { statement.reset() }
        return try statement.step() && statement.int64(at: 0) != 0
    }

    func tokenRecord(hash: [UInt8]) throws -> TokenRecord? {
        let statement = try cachedStatement(SQL.selectToken)
        defer { statement.reset() }
        try statement.bind(hash, at: 1)
        guard try statement.step() else { return nil }
        return TokenRecord(
            hash: statement.blob(at: 0),
            clientID: statement.string(at: 1),
            scopes: Scopes.decode(statement.string(at: 2)),
            expiresAt: statement.int64(at: 3),
            clientRevoked: statement.int64(at: 4) != 0
        )
    }

    func storedAdminTokenHash() throws -> [UInt8]? {
        let statement = try cachedStatement(SQL.selectAdminTokenHash)
        defer { statement.reset() }
        return try statement.step() ? statement.blob(at: 0) : nil
    }
}

extension ConnectionRecord {
    /// Reads `id, name, strategy, body, revision`.
    init(row: Statement) {
        self.init(
            id: row.string(at: 0), name: row.string(at: 1), strategy: row.string(at: 2), body: row.string(at: 3),
            revision: Int(row.int64(at: 4)))
    }
}

extension RevisionRecord {
    /// Reads `connection_id, revision, created_at, operation, actor_client_id, restored_from, body`.
    init(row: Statement) {
        self.init(
            connectionID: row.string(at: 0), revision: Int(row.int64(at: 1)), createdAt: row.int64(at: 2),
            operation: row.string(at: 3), actorClientID: row.optionalString(at: 4),
            restoredFrom: row.optionalInt64(at: 5).map { Int($0) }, body: row.optionalString(at: 6))
    }
}

extension ClientRecord {
    /// Reads `client_id, name, secret_hash, scopes, created_at, revoked_at`.
    init(row: Statement) {
        self.init(
            clientID: row.string(at: 0),
            name: row.string(at: 1),
            secretHash: row.blob(at: 2),
            scopes: Scopes.decode(row.string(at: 3)),
            createdAt: row.int64(at: 4),
            revokedAt: row.optionalInt64(at: 5)
        )
    }
}
