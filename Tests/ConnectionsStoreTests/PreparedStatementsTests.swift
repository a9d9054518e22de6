import Testing

@testable import ConnectionsStore

/// What a PostgreSQL connection prepares and runs by name (`PreparedStatements`), without a
/// server: the libpq calls around it are covered by the e2e PostgreSQL suite.
@Suite struct PreparedStatementsTests {
    private let insert = "INSERT INTO t (a, b) VALUES ($1, $2)"

    /// Prepares every wanted text, as `PostgresConnection.prepareWanted()` does when each
    /// prepare succeeds; returns the names given.
    private func prepareAll(_ statements: inout PreparedStatements) -> [String] {
        var names: [String] = []
        for (sql, types) in statements.takeWanted() {
            let name = statements.nextName
            statements.prepared(sql, as: name, types: types)
            names.append(name)
        }
        return names
    }

    @Test func aTextSentWholeOnceRunsByNameAfterItIsPrepared() {
        var statements = PreparedStatements()
        #expect(statements.name(for: insert, types: [0, 0]) == nil)
        #expect(statements.name(for: insert, types: [0, 0]) == nil, "sent whole until its pipeline is over")
        #expect(statements.wanted.map(\.sql) == [insert], "noted once")
        #expect(prepareAll(&statements) == ["s1"])
        #expect(statements.wanted.isEmpty)
        #expect(statements.name(for: insert, types: [0, 0]) == "s1")
        #expect(statements.wanted.isEmpty)
    }

    @Test func transactionControlIsNeverPrepared() {
        var statements = PreparedStatements()
        for sql in ["BEGIN", "COMMIT", "ROLLBACK"] { #expect(statements.name(for: sql, types: []) == nil) }
        #expect(statements.wanted.isEmpty)
    }

    /// A text prepared with a parameter the server inferred (a NULL, type 0) is sent whole when
    /// that parameter comes typed (binary), and is not prepared a second time: a second prepare
    /// would take a name the next new text then gets too.
    @Test func otherParameterTypesAreSentWholeAndNotPreparedAgain() {
        var statements = PreparedStatements()
        _ = statements.name(for: insert, types: [0, 0])
        #expect(prepareAll(&statements) == ["s1"])
        #expect(statements.name(for: insert, types: [0, 17]) == nil)
        #expect(statements.name(for: insert, types: [0]) == nil, "another count")
        #expect(statements.wanted.isEmpty)
        #expect(statements.name(for: insert, types: [0, 0]) == "s1")
        let other = "SELECT $1"
        _ = statements.name(for: other, types: [0])
        #expect(prepareAll(&statements) == ["s2"], "every name is new")
        #expect(statements.name(for: other, types: [0]) == "s2")
    }

    @Test func aTypedParameterTakesANullInItsPlace() {
        var statements = PreparedStatements()
        _ = statements.name(for: insert, types: [17, 1016])
        _ = prepareAll(&statements)
        #expect(statements.name(for: insert, types: [0, 1016]) == "s1")
        #expect(statements.name(for: insert, types: [17, 0]) == "s1")
    }

    @Test func atMostTheLimitOfTextsArePrepared() {
        var statements = PreparedStatements()
        for index in 0..<(PreparedStatements.limit + 5) { _ = statements.name(for: "SELECT \(index)", types: []) }
        #expect(statements.wanted.count == PreparedStatements.limit)
        #expect(Set(prepareAll(&statements)).count == PreparedStatements.limit)
        _ = statements.name(for: "SELECT 'late'", types: [])
        #expect(statements.wanted.isEmpty, "no room left")
    }

    @Test func resetForgetsTheSession() {
        var statements = PreparedStatements()
        _ = statements.name(for: insert, types: [0, 0])
        _ = prepareAll(&statements)
        statements.reset()
        #expect(statements.name(for: insert, types: [0, 0]) == nil)
        #expect(statements.nextName == "s1")
    }
}
