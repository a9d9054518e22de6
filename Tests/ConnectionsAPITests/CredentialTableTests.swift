import ConnectionsStore
import Foundation
import HTTPTransport
import Testing

@testable import ConnectionsAPI

/// The in-memory clients and tokens (issue 10): exact without a SQLite lookup per request, and a
/// revocation made by another connection (another process: `clients revoke`) is seen at once.
@Suite struct CredentialTableTests {
    /// Two stores on one WAL file: the second stands for another process.
    private func withTwoStores(_ body: (ConnectionStore, ConnectionStore) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let server = try SQLiteStore(path: path)
        let other = try SQLiteStore(path: path)
        defer {
            try? other.close()
            try? server.close()
        }
        try body(server, other)
    }

    @Test func revocationByAnotherConnectionIsSeenAtTheNextLookup() throws {
        try withTwoStores { server, other in
            let created = try MachineClients.create(name: "ci", scopes: "read:connections", in: other)
            let table = try CredentialTable(store: server)
            // A client created by another process after start is found (POST /oauth/token).
            let client = try #require(table.client(id: created.clientID))
            #expect(!client.isRevoked && client.scopes == ["read:connections"])
            let digest = TokenHash.sha256("token-1")
            table.add(digest: digest, clientID: created.clientID, scopes: client.scopes, expiresAt: 2_000_000_000)
            let token = try #require(table.known(digest: digest, now: 1_000))
            #expect(token.clientID == created.clientID && token.scopes == .readConnections)
            #expect(table.known(digest: digest, now: 2_000_000_000) == nil, "expired")
            #expect(table.known(digest: TokenHash.sha256("token-2"), now: 1_000) == nil, "unknown")

            #expect(try MachineClients.revoke(clientID: created.clientID, in: other))
            #expect(table.known(digest: digest, now: 1_000) == nil)
            #expect(table.client(id: created.clientID)?.isRevoked == true)
        }
    }

    @Test func tokensMintedBeforeAStartAreLoaded() throws {
        try withTwoStores { server, other in
            let created = try MachineClients.create(name: "ci", scopes: "read:connections delete:connections", in: server)
            let revoked = try MachineClients.create(name: "gone", scopes: "read:connections", in: server)
            let now = WallClock.seconds()
            try server.writeAndWait { transaction in
                try transaction.insertToken(
                    hash: TokenHash.sha256("live"), clientID: created.clientID, scopes: created.scopes, expiresAt: now + 60)
                try transaction.insertToken(
                    hash: TokenHash.sha256("old"), clientID: created.clientID, scopes: created.scopes, expiresAt: now - 1)
                try transaction.insertToken(
                    hash: TokenHash.sha256("of-revoked"), clientID: revoked.clientID, scopes: revoked.scopes, expiresAt: now + 60)
            }
            #expect(try MachineClients.revoke(clientID: revoked.clientID, in: server))
            let table = try CredentialTable(store: other)
            #expect(table.known(digest: TokenHash.sha256("live"), now: now)?.scopes == [.readConnections, .deleteConnections])
            #expect(table.known(digest: TokenHash.sha256("old"), now: now) == nil)
            #expect(table.known(digest: TokenHash.sha256("of-revoked"), now: now) == nil)
        }
    }

    @Test func aClosedStoreLeavesVerifiedTokensWorking() throws {
        let store = try SQLiteStore(path: ":memory:")
        let created = try MachineClients.create(name: "ci", scopes: "read:connections", in: store)
        let table = try CredentialTable(store: store)
        let digest = TokenHash.sha256("token")
        table.add(digest: digest, clientID: created.clientID, scopes: created.scopes, expiresAt: 2_000_000_000)
        try store.close()
        #expect(table.known(digest: digest, now: 1_000) != nil)
    }
}

extension CredentialTable {
    /// The valid token memory knows (a SQLite store never answers `unknown`).
    fileprivate func known(digest: [UInt8], now: Int64) -> Token? {
        guard case .valid(let token) = token(digest: digest, now: now) else { return nil }
        return token
    }
}
