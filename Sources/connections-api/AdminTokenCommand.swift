import Arguments
import ConnectionsAPI
import ConnectionsStore

/// `connections-api admin-token rotate|revoke [--db PATH]` (CLI.md, "serve"): works beside a
/// running server, which follows the change at its next request.
enum AdminTokenCommand: Command {
    static let flags = Usage.adminTokenFlags
    static let usage = Usage.adminToken

    static func run(_ options: ArgumentList) -> Int32 {
        guard let action = options.positional.first else { return Usage.fail("missing action", Usage.adminToken) }
        guard options.positional.count == 1 else { return Usage.fail("unexpected argument \(options.positional[1])", Usage.adminToken) }
        guard action == "rotate" || action == "revoke" else { return Usage.fail("unknown action \(action)", Usage.adminToken) }
        let location = StoreLocation(options)
        do {
            // rotate may set up a database before its first start; revoke has nothing to remove.
            let store = try location.open(create: action == "rotate")
            defer { try? store.close() }
            if action == "rotate" {
                let token = try AdminToken.rotate(in: store)
                try store.close()
                print("admin token (shown once; only its hash is kept): \(token)")
            } else {
                let had = try AdminToken.revoke(in: store)
                try store.close()
                print(had ? "admin token revoked; machine clients are the only way in" : "no admin token was stored")
            }
            return 0
        } catch {
            Usage.printError("error: \(error)")
            return 1
        }
    }
}
