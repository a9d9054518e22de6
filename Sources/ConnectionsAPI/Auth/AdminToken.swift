import ConnectionsStore

/// The admin token's life (CLI.md, "serve"): only its SHA-256 digest is stored, in the
/// database, which is the truth a running server follows.
///
/// - `CONNECTIONS_API_TOKEN` set at start: that token is the admin token; its digest replaces
///   any stored one, so a token generated earlier stops working.
/// - Not set: the stored digest stays in force. Only a database holding neither an admin token
///   nor an active machine client gets a generated one, printed once.
/// - `admin-token rotate` stores a new one and prints it once; `admin-token revoke` removes
///   it, leaving machine clients as the only way in. A running server follows either at its
///   next request (`Authenticator`).
public enum AdminToken {
    /// Where the admin token in force came from, as the start line says it.
    public enum Source: String, Sendable {
        case environment = "from CONNECTIONS_API_TOKEN"
        case stored
        case generated
        /// No admin token: machine clients only.
        case none = "none (machine clients only)"
    }

    public struct Resolved: Sendable {
        public let digest: [UInt8]?
        public let source: Source
        /// The generated token, to print once; `nil` unless `source` is `.generated`.
        public let generatedToken: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Decides the admin token at start, storing what changes, in one transaction (a CLI
    /// writing meanwhile cannot make two tokens).
    public static func resolve(environment: String?, in store: ConnectionStore) throws -> Resolved {
        if let token = environment, !token.isEmpty {
            let digest = TokenHash.sha256(token)
            try store.writeAndWait { transaction in
                if try transaction.adminTokenHash() != digest { try transaction.setAdminTokenHash(digest) }
            }
            return Resolved(digest: digest, source: .environment, generatedToken: nil)
        }
        let token = TokenHash.randomToken()
        let generated = TokenHash.sha256(token)
        return try store.writeAndWait { transaction in
            if let stored = try transaction.adminTokenHash() {
                return Resolved(digest: stored, source: .stored, generatedToken: nil)
            }
            if try transaction.hasActiveClient() { return Resolved(digest: nil, source: .none, generatedToken: nil) }
            try transaction.setAdminTokenHash(generated)
            return Resolved(digest: generated, source: .generated, generatedToken: token)
        }
    }

    /// `admin-token rotate`: a new admin token, to print once; its digest replaces the stored one.
    public static func rotate(in store: ConnectionStore) throws -> String {
        let token = TokenHash.randomToken()
        let digest = TokenHash.sha256(token)
        try store.writeAndWait { transaction in try transaction.setAdminTokenHash(digest) }
        return token
    }

    /// `admin-token revoke`: removes the stored admin token. Refused when no active machine
    /// client exists: nobody could get in, and the next start would generate a token anyway.
    /// Returns whether there was one.
    public static func revoke(in store: ConnectionStore) throws -> Bool {
        try store.writeAndWait { transaction in
            guard try transaction.hasActiveClient() else {
                throw Failure(
                    description: "no active machine client: revoking the admin token would leave no way in "
                        + "(register one with `connections-api clients create` first, or use `admin-token rotate`)")
            }
            let had = try transaction.adminTokenHash() != nil
            try transaction.setAdminTokenHash(nil)
            return had
        }
    }
}
