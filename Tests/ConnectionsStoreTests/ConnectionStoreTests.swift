import Testing

@testable import ConnectionsStore

@Suite struct ConnectionStoreTests {
    @Test(arguments: StoreKind.allCases)
    func connectionCRUD(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            let original = record("con_1", "Main", body: #"{"a":"\u0000 nul"}"#)
            try store.writeAndWait { try $0.insertConnection(original) }
            #expect(try store.connection(id: "con_1") == original)
            #expect(try store.connection(id: "con_2") == nil)

            let changed = ConnectionRecord(id: "con_1", name: "Main", strategy: "auth0", body: #"{"a":2}"#, revision: 2)
            #expect(try store.writeAndWait { try $0.updateConnection(changed, stamp: stamp(2), keep: 100) })
            #expect(try store.connection(id: "con_1") == changed)
            #expect(try store.writeAndWait { try $0.connectionRevision(id: "con_1") } == 2)
            #expect(try store.lastRevision(connectionID: "con_1")?.body == changed.body, "the update has its revision")
            #expect(try !store.writeAndWait { try $0.updateConnection(record("con_2", "Other", revision: 2), stamp: stamp(2), keep: 100) })
            #expect(try store.lastRevision(connectionID: "con_2") == nil, "no revision without its write")

            #expect(try store.writeAndWait { try $0.deleteConnection(id: "con_1") })
            #expect(try !store.writeAndWait { try $0.deleteConnection(id: "con_1") })
            #expect(try store.connection(id: "con_1") == nil)
            #expect(try store.writeAndWait { try $0.connectionRevision(id: "con_1") } == nil)
            let deleted = try #require(try store.lastRevision(connectionID: "con_1"))
            #expect(deleted.revision == 3 && deleted.operation == "delete" && deleted.body == nil)
            #expect(try store.loadAllConnections().isEmpty)
        }
    }

    /// Start-up loads in parts on threads of their own; the parts must add up to the list order.
    @Test(arguments: StoreKind.allCases, [0, 1, 511, 512, 1_337])
    func mapConnectionsLoadsEveryRowOnceInListOrder(kind: StoreKind, count: Int) throws {
        try withStore(kind) { (store, _) throws in
            // Names in pairs that differ only in case: equal name keys, ordered by id, so a
            // part boundary can fall between the two of a pair.
            try store.writeAndWait { transaction in
                for index in 0..<count {
                    let name = index % 2 == 0 ? "n\(index / 2)" : "N\(index / 2)"
                    try transaction.insertConnection(record("con_\(1_000_000 - index)", name))
                }
            }
            let mapped = try store.mapConnections { $0.id }
            #expect(mapped.count == count)
            #expect(mapped == (try store.loadAllConnections().map(\.id)))
        }
    }

    @Test func mapConnectionsRethrowsAFailureInAnyPart() throws {
        try withStore(.walFile) { (store, _) throws in
            try store.writeAndWait { transaction in
                for index in 0..<1_000 { try transaction.insertConnection(record("con_\(index)", "name-\(index)")) }
            }
            struct Refused: Error {}
            // Both the first row of the order and one near its end: either part may fail.
            for refused in ["con_0", "con_998"] {
                #expect(throws: Refused.self) {
                    _ = try store.mapConnections { record in
                        if record.id == refused { throw Refused() }
                        return record.id
                    }
                }
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listOrderIsCaseInsensitiveNameThenID(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            let records = [record("2", "b"), record("1", "B"), record("9", "a"), record("3", "A"), record("5", "Ab")]
            try store.writeAndWait { transaction in
                for record in records { try transaction.insertConnection(record) }
            }
            #expect(try store.loadAllConnections().map(\.id) == ["3", "9", "5", "1", "2"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func conflictsAreReportedByCode(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            try store.writeAndWait { try $0.insertConnection(record("con_1", "Main")) }
            #expect(throws: StoreError.nameConflict) {
                try store.writeAndWait { try $0.insertConnection(record("con_2", "Main")) }
            }
            #expect(throws: StoreError.idConflict) {
                try store.writeAndWait { try $0.insertConnection(record("con_1", "Other")) }
            }
            #expect(try store.loadAllConnections().map(\.id) == ["con_1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aThrowingJobLeavesNoChanges(kind: StoreKind) throws {
        struct Refused: Error {}
        try withStore(kind) { (store, _) throws in
            #expect(throws: Refused.self) {
                try store.writeAndWait { transaction in
                    try transaction.insertConnection(record("con_1", "Main"))
                    #expect(try transaction.connection(id: "con_1") != nil, "a job sees its own writes")
                    throw Refused()
                }
            }
            #expect(try store.connection(id: "con_1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tenantSettingsRoundTrip(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            #expect(try store.tenantSettings() == nil)
            try store.writeAndWait { try $0.setTenantSettings(#"{"identifier_first":true}"#) }
            try store.writeAndWait { try $0.setTenantSettings(#"{"identifier_first":false}"#) }
            #expect(try store.tenantSettings() == #"{"identifier_first":false}"#)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func clientsAndTokens(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            let client = ClientRecord(
                clientID: "cli_1", name: "ci", secretHash: [1, 2, 3], scopes: ["read:connections", "create:connections"],
                createdAt: 100
            )
            try store.writeAndWait { try $0.insertClient(client) }
            #expect(throws: StoreError.clientConflict) { try store.writeAndWait { try $0.insertClient(client) } }
            #expect(try store.client(id: "cli_1") == client)
            #expect(try store.client(id: "nobody") == nil)

            try store.writeAndWait { transaction in
                try transaction.insertToken(hash: [9, 9], clientID: "cli_1", scopes: ["read:connections"], expiresAt: 200)
                try transaction.insertToken(hash: [8, 8], clientID: "cli_1", scopes: [], expiresAt: 300)
            }
            #expect(throws: StoreError.unknownClient) {
                try store.writeAndWait { try $0.insertToken(hash: [7], clientID: "nobody", scopes: [], expiresAt: 1) }
            }
            #expect(
                try store.token(hash: [9, 9])
                    == TokenRecord(hash: [9, 9], clientID: "cli_1", scopes: ["read:connections"], expiresAt: 200, clientRevoked: false)
            )
            #expect(try store.token(hash: [7]) == nil)

            #expect(try store.writeAndWait { try $0.deleteExpiredTokens(now: 200) } == 1)
            #expect(try store.token(hash: [9, 9]) == nil)
            #expect(try store.token(hash: [8, 8]) != nil)

            #expect(try store.writeAndWait { try $0.revokeClient(id: "cli_1", now: 250) })
            #expect(try !store.writeAndWait { try $0.revokeClient(id: "cli_1", now: 260) })
            #expect(try store.token(hash: [8, 8]) == nil, "revoking a client invalidates its tokens at once")
            #expect(try store.client(id: "cli_1")?.revokedAt == 250)
            #expect(try store.listClients().map(\.clientID) == ["cli_1"])
        }
    }

    /// What the in-memory credentials load at start (issue 10).
    @Test(arguments: StoreKind.allCases)
    func unexpiredTokensAreListed(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            let client = ClientRecord(clientID: "cli_1", name: "ci", secretHash: [1], scopes: [], createdAt: 1)
            try store.writeAndWait { try $0.insertClient(client) }
            #expect(try store.unexpiredTokens(now: 0).isEmpty)
            try store.writeAndWait { try $0.insertToken(hash: [9], clientID: "cli_1", scopes: ["read:connections"], expiresAt: 5) }
            #expect(try store.unexpiredTokens(now: 4).map(\.hash) == [[9]])
            #expect(try store.unexpiredTokens(now: 4).first?.scopes == ["read:connections"])
            #expect(try store.unexpiredTokens(now: 5).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func adminTokenHash(kind: StoreKind) throws {
        try withStore(kind) { (store, _) throws in
            #expect(try store.adminTokenHash() == nil)
            try store.writeAndWait { try $0.setAdminTokenHash([1, 2]) }
            try store.writeAndWait { try $0.setAdminTokenHash([3, 4]) }
            #expect(try store.adminTokenHash() == [3, 4])
            try store.writeAndWait { try $0.setAdminTokenHash(nil) }
            #expect(try store.adminTokenHash() == nil)
        }
    }

    @Test func fileStoreIsInWALMode() throws {
        try withStore(.walFile) { _, path in
            let database = try Database(path: path)
            #expect(try database.pragma("journal_mode") == "wal")
        }
    }

    @Test func writeAndWaitReturnsAfterCommit() throws {
        let store = try SQLiteStore(path: ":memory:")
        let existed = try store.writeAndWait { try $0.deleteConnection(id: "none") }
        #expect(!existed)
        try store.writeAndWait { try $0.insertConnection(record("con_1", "Main")) }
        #expect(try store.connection(id: "con_1") != nil)
        try store.close()
    }

    @Test func closedStoreRefusesWork() throws {
        let store = try SQLiteStore(path: ":memory:")
        try store.close()
        try store.close()
        #expect(throws: StoreError.closed) { try store.writeAndWait { try $0.deleteConnection(id: "x") } }
        #expect(throws: StoreError.closed) { _ = try store.loadAllConnections() }
    }

    @Test func memoryStoresAreSeparate() throws {
        let first = try SQLiteStore(path: ":memory:")
        let second = try SQLiteStore(path: ":memory:")
        try first.writeAndWait { try $0.insertConnection(record("con_1", "Main")) }
        #expect(try second.loadAllConnections().isEmpty)
        try first.close()
        try second.close()
    }
}
