/// What an in-memory table of clients and tokens loads at start (issue 10: authenticating on
/// an event loop must not wait on SQLite); `committedByOthers(since:)` tells it when to re-read.
extension SQLiteStore {
    /// Every token that has not expired at `now` (Unix seconds), with its client's revoked state.
    public func unexpiredTokens(now: Int64) throws -> [TokenRecord] {
        try readers.read { try $0.unexpiredTokenRecords(now: now) }
    }
}

extension Database {
    func unexpiredTokenRecords(now: Int64) throws -> [TokenRecord] {
        let statement = try cachedStatement(SQL.selectUnexpiredTokens)
        defer { statement.reset() }
        try statement.bind(now, at: 1)
        var records: [TokenRecord] = []
        while try statement.step() {
            records.append(
                TokenRecord(
                    hash: statement.blob(at: 0), clientID: statement.string(at: 1),
                    scopes: Scopes.decode(statement.string(at: 2)), expiresAt: statement.int64(at: 3),
                    clientRevoked: statement.int64(at: 4) != 0))
        }
        return records
    }
}
