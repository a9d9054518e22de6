import ConnectionsAPI
import ConnectionsStore

/// `connections-api serve` (CLI.md): open the store, resolve the admin token, listen, and
/// shut down gracefully on SIGINT/SIGTERM.
enum ServeCommand {
    static func run(_ arguments: [String]) -> Int32 {
        let options: ArgumentList
        do {
            options = try ArgumentList(
                arguments,
                valued: [
                    "host", "port", "db", "rate-limit", "token-lifetime", "max-connections", "head-timeout", "body-timeout",
                    "idle-timeout", "event-loops", "audience",
                ],
                switches: ["help", "rate-limit-admin", "quiet", "legacy-enabled-clients"])
        } catch {
            return Usage.fail("\(error)", Usage.serve)
        }
        if options.has("help") {
            print(Usage.serve)
            return 0
        }
        guard options.positional.isEmpty else { return Usage.fail("unexpected argument \(options.positional[0])", Usage.serve) }

        var configuration = ServerConfiguration()
        configuration.host = options.value("host") ?? ProcessIO.environment("CONNECTIONS_API_HOST") ?? "127.0.0.1"
        let portText = options.value("port") ?? ProcessIO.environment("CONNECTIONS_API_PORT") ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else { return Usage.fail("invalid port \(portText)", Usage.serve) }
        configuration.port = port
        configuration.logRequests = !options.has("quiet")
        do {
            if let value = try positiveInt(options, "max-connections") { configuration.maxConnections = value }
            if let value = try positiveInt(options, "event-loops") { configuration.eventLoops = value }
            if let value = try positiveInt(options, "head-timeout") { configuration.headDeadline = .seconds(value) }
            if let value = try positiveInt(options, "body-timeout") { configuration.bodyDeadline = .seconds(value) }
            if let value = try positiveInt(options, "idle-timeout") { configuration.idleTimeout = .seconds(value) }
        } catch {
            return Usage.fail("\(error)", Usage.serve)
        }
        let audience = options.value("audience") ?? ProcessIO.environment("CONNECTIONS_API_AUDIENCE")
        if let audience, audience.isEmpty { return Usage.fail("--audience needs a URL", Usage.serve) }
        let legacyEnabledClients =
            options.has("legacy-enabled-clients")
            || ["1", "true"].contains(ProcessIO.environment("CONNECTIONS_API_LEGACY_ENABLED_CLIENTS"))
        let databasePath = options.value("db") ?? ProcessIO.environment("CONNECTIONS_API_DB") ?? "connections.sqlite"

        var rateLimit: (rate: Double, burst: Int)? = (100, 200)
        if let text = options.value("rate-limit") {
            if text == "off" {
                rateLimit = nil
            } else {
                let parts = text.split(separator: "/")
                guard parts.count == 2, let rate = Double(parts[0]), rate > 0, let burst = Int(parts[1]), burst > 0 else {
                    return Usage.fail("--rate-limit takes RATE/BURST (e.g. 100/200) or off", Usage.serve)
                }
                rateLimit = (rate, burst)
            }
        }
        var tokenLifetime = 86_400
        do {
            if let value = try positiveInt(options, "token-lifetime") { tokenLifetime = value }
        } catch {
            return Usage.fail("\(error)", Usage.serve)
        }

        // Block SIGINT/SIGTERM before the first thread (the store's writer) starts, so every
        // thread inherits the mask and a signal sent at any point shuts down cleanly.
        let termination = TerminationSignals()
        do {
            let store = try ConnectionStore(path: databasePath)
            let adminHash = try resolveAdminToken(ProcessIO.environment("CONNECTIONS_API_TOKEN"), store: store)
            let application = try Application(
                store: store,
                settings: .init(
                    adminTokenHash: adminHash, rateLimit: rateLimit, limitAdmin: options.has("rate-limit-admin"),
                    tokenLifetimeSeconds: tokenLifetime,
                    legacyEnabledClients: legacyEnabledClients, audience: audience))
            let server = HTTPServer(configuration: configuration, handler: application)
            let boundPort = try server.start()
            application.useDefaultAudience("http://\(configuration.host):\(boundPort)/api/v2/")
            Usage.printLine("listening on http://\(configuration.host):\(boundPort) (db \(databasePath))")
            termination.wait()
            server.shutdown(grace: .seconds(10))
            server.waitUntilStopped()
            try store.close()
            return 0
        } catch {
            Usage.printError("error: \(error)")
            return 1
        }
    }

    /// CLI.md: the admin token comes from `CONNECTIONS_API_TOKEN`; without it and without any
    /// registered client, one is generated, printed once, and only its digest is kept.
    private static func resolveAdminToken(_ fromEnvironment: String?, store: ConnectionStore) throws -> [UInt8]? {
        if let token = fromEnvironment, !token.isEmpty { return MachineClients.tokenDigest(token) }
        if let stored = try store.adminTokenHash() { return stored }
        guard try store.listClients().isEmpty else { return nil }
        let token = MachineClients.generateToken()
        let digest = MachineClients.tokenDigest(token)
        try store.writeAndWait { transaction in try transaction.setAdminTokenHash(digest) }
        Usage.printLine("admin token (shown once; only its hash is kept): \(token)")
        return digest
    }

    private static func positiveInt(_ options: ArgumentList, _ name: String) throws -> Int? {
        guard let text = options.value(name) else { return nil }
        guard let value = Int(text), value > 0 else { throw ArgumentList.UsageError(description: "--\(name) needs a positive integer") }
        return value
    }
}
