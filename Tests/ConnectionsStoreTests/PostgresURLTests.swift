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

    @Test func arraysAreSentInTheBinaryFormat() {
        // One dimension, whether any element is NULL, the element type, the count, lower bound 1.
        func header(_ nulls: UInt8, _ element: UInt8, _ count: UInt8) -> [UInt8] {
            [0, 0, 0, 1, 0, 0, 0, nulls, 0, 0, 0, element, 0, 0, 0, count, 0, 0, 0, 1]
        }
        // text[] (oid 1009) of text (25): a length, then the bytes as they are (no escaping).
        let text = PostgresArray([#"a"b\"#, nil, "é"])
        #expect(
            text.bytes == header(1, 25, 3) + [0, 0, 0, 4] + Array(#"a"b\"#.utf8) + [255, 255, 255, 255] + [0, 0, 0, 2, 0xC3, 0xA9])
        guard case .binary(let type, _) = text.value else { return #expect(Bool(false)) }
        #expect(type == 1009)
        // bigint[] (1016) of int8 (20): eight big-endian bytes each.
        let integers = PostgresArray(integers: [1, -2])
        #expect(
            integers.bytes == header(0, 20, 2) + [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1] + [0, 0, 0, 8] + Array(repeating: 255, count: 7) + [
                254
            ])
        guard case .binary(let arrayType, _) = integers.value else { return #expect(Bool(false)) }
        #expect(arrayType == 1016)
    }
}
