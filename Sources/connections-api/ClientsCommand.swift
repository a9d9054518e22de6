import Arguments
import ConnectionsAPI
import ConnectionsStore

/// `connections-api clients create|list|revoke` (CLI.md).
enum ClientsCommand: Command {
    static let flags = Usage.clientsFlags
    static let usage = Usage.clients

    static func run(_ options: ArgumentList) -> Int32 {
        guard let action = options.positional.first else { return Usage.fail("missing action", Usage.clients) }
        let location = StoreLocation(options)
        do {
            switch action {
            case "create":
                guard options.positional.count == 1 else { return Usage.fail("unexpected argument", Usage.clients) }
                guard let name = options.value("name"), let scopes = options.value("scopes") else {
                    return Usage.fail("create needs --name and --scopes", Usage.clients)
                }
                let store = try location.open()
                let created = try MachineClients.create(name: name, scopes: scopes, in: store)
                try store.close()
                print("client_id: \(created.clientID)")
                print("client_secret: \(created.clientSecret)")
                print("scopes: \(created.scopes.joined(separator: " "))")
                print("(the secret is shown once; only its hash is stored)")
            case "list":
                guard options.positional.count == 1 else { return Usage.fail("unexpected argument", Usage.clients) }
                let store = try location.open(create: false)
                let clients = try MachineClients.list(in: store)
                try store.close()
                for client in clients {
                    let state = client.isRevoked ? "revoked" : "active"
                    print("\(client.clientID)\t\(client.name)\t\(state)\t\(client.scopes.joined(separator: " "))")
                }
            case "revoke":
                guard options.positional.count == 2 else { return Usage.fail("revoke needs exactly one CLIENT_ID", Usage.clients) }
                let store = try location.open(create: false)
                let revoked = try MachineClients.revoke(clientID: options.positional[1], in: store)
                try store.close()
                guard revoked else {
                    Usage.printError("error: no active client \(options.positional[1])")
                    return 1
                }
                print("revoked \(options.positional[1])")
            default:
                return Usage.fail("unknown action \(action)", Usage.clients)
            }
            return 0
        } catch {
            Usage.printError("error: \(error)")
            return 1
        }
    }
}
