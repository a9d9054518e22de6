import ConnectionsStore
import HTTPTransport

/// Registers, lists and revokes machine clients (CLI.md `clients`). Only a SHA-256 digest
/// of each secret is stored; the secret is shown once, at creation. Secrets are 256 random
/// bits, so a plain digest (not a slow password hash) is the right tool.
public enum MachineClients {
    public struct Created: Sendable {
        public let clientID: String
        public let clientSecret: String
        public let scopes: [String]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func create(name: String, scopes text: String, in store: ConnectionStore) throws -> Created {
        guard !name.isEmpty else { throw Failure(description: "--name must not be empty") }
        let scopes: Scopes
        switch Scopes.parse(text) {
        case .success(let parsed): scopes = parsed
        case .failure(let unknown):
            throw Failure(description: "unknown scope \(unknown.name); known scopes: \(Scopes.names.map(\.1).joined(separator: ", "))")
        }
        guard !scopes.isEmpty else { throw Failure(description: "--scopes needs at least one scope") }
        let names = Scopes.names.filter { scopes.contains($0.0) }.map(\.1)
        // 32 alphanumerics, as Auth0's client ids: never a leading `-` that a command line
        // (`clients revoke ID`) would take for a flag, nothing to escape in HTTP Basic.
        let clientID = SecureRandom.alphanumeric(32)
        let secret = TokenHash.randomToken(bytes: 32)
        let record = ClientRecord(
            clientID: clientID, name: name, secretHash: TokenHash.sha256(secret), scopes: names,
            createdAt: WallClock.seconds())
        try store.writeAndWait { transaction in try transaction.insertClient(record) }
        return Created(clientID: clientID, clientSecret: secret, scopes: names)
    }

    public static func list(in store: ConnectionStore) throws -> [ClientRecord] {
        try store.listClients()
    }

    /// Revokes the client and deletes its tokens; `false` when no such active client exists.
    public static func revoke(clientID: String, in store: ConnectionStore) throws -> Bool {
        let now = WallClock.seconds()
        return try store.writeAndWait { transaction in try transaction.revokeClient(id: clientID, now: now) }
    }
}
