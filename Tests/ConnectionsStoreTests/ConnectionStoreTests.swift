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

            let changed = ConnectionRecord(id: "con_1", name: "Main", strategy: "auth0", body: #"{"a":2}"#)
            #expect(try store.writeAndWait { try $0.updateConnection(changed) })
            #expect(try store.connection(id: "con_1")?.body == changed.body)
            #expect(try !store.writeAndWait { try $0.updateConnection(record("con_2", "Other")) })

            #expect(try store.writeAndWait { try $0.deleteConnection(id: "con_1") })
            #expect(try !store.writeAndWait { try $0.deleteConnection(id: "con_1") })
            #expect(try store.connection(id: "con_1") == nil)
            #expect(try store.loadAllConnections().isEmpty)
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
        let store = try ConnectionStore(path: ":memory:")
        let existed = try store.writeAndWait { try $0.deleteConnection(id: "none") }
        #expect(!existed)
        try store.writeAndWait { try $0.insertConnection(record("con_1", "Main")) }
        #expect(try store.connection(id: "con_1") != nil)
        try store.close()
    }

    @Test func closedStoreRefusesWork() throws {
        let store = try ConnectionStore(path: ":memory:")
        try store.close()
        try store.close()
        #expect(throws: StoreError.closed) { try store.writeAndWait { try $0.deleteConnection(id: "x") } }
        #expect(throws: StoreError.closed) { _ = try store.loadAllConnections() }
    }

    @Test func memoryStoresAreSeparate() throws {
        let first = try ConnectionStore(path: ":memory:")
        let second = try ConnectionStore(path: ":memory:")
        try first.writeAndWait { try $0.insertConnection(record("con_1", "Main")) }
        #expect(try second.loadAllConnections().isEmpty)
        try first.close()
        try second.close()
    }
}
