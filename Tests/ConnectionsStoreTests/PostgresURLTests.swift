import Testing

@testable import ConnectionsStore

/// What may be printed of a PostgreSQL URL, and how `changes` rows are sent: pure functions,
/// no server needed (the PostgreSQL backend itself is tested end to end, tests/e2e).
struct PostgresURLTests {
    @Test(arguments: [
        ("postgresql://api:s3cret@127.0.0.1:5432/connections", "postgresql://api:***@127.0.0.1:5432/connections"),
        ("postgres://api@db/connections?sslmode=disable", "postgres://api@db/connections?sslmode=disable"),
        (
            "postgresql://db/connections?user=api&password=s3cret&sslmode=disable",
            "postgresql://db/connections?user=api&password=***&sslmode=disable"
        ),
        ("postgresql://a:b%40c@h/d?password=x", "postgresql://a:***@h/d?password=***"),
        ("postgresql://h/d", "postgresql://h/d"),
    ])
    func passwordsAreNeverShown(url: String, shown: String) {
        #expect(PostgresURL.redacted(url) == shown)
    }

    @Test func backendIsChosenByScheme() {
        #expect(PostgresURL.isPostgres("postgres://h/d"))
        #expect(PostgresURL.isPostgres("postgresql://h/d"))
        #expect(!PostgresURL.isPostgres("connections.sqlite"))
        #expect(!PostgresURL.isPostgres("./postgresql://x"))
    }

    @Test func conninfoAddsTimeoutsWithoutOverridingTheOperators() {
        let added = PostgresStore.conninfo("postgresql://h/d")
        #expect(added.includes("?connect_timeout=2&"))
        let kept = PostgresStore.conninfo("postgresql://h/d?connect_timeout=9")
        #expect(kept.includes("connect_timeout=9&") && !kept.includes("connect_timeout=2"))
    }

    @Test func arrayLiteralsQuoteEveryElement() {
        #expect(PostgresWriteTransaction.arrayLiteral([]) == "{}")
        #expect(PostgresWriteTransaction.arrayLiteral(["con_1", ""]) == #"{"con_1",""}"#)
        #expect(PostgresWriteTransaction.arrayLiteral([#"a"b\c,{}"#]) == #"{"a\"b\\c,{}"}"#)
    }
}
