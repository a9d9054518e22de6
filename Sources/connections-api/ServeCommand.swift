import Arguments
import ConnectionsAPI
import ConnectionsStore
import HTTPTransport
import Validation

/// `connections-api serve` (CLI.md): open the store, resolve the admin token, listen, and
/// shut down gracefully on SIGINT/SIGTERM.
enum ServeCommand: Command {
    static let flags = Usage.serveFlags
    static let usage = Usage.serve

    static func run(_ options: ArgumentList) -> Int32 {
        guard options.positional.isEmpty else { return Usage.fail("unexpected argument \(options.positional[0])", Usage.serve) }

        var configuration = ServerConfiguration()
        configuration.host = options.value("host") ?? "127.0.0.1"
        let portText = options.value("port") ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else { return Usage.fail("invalid port \(portText)", Usage.serve) }
        configuration.port = port
        configuration.logRequests = !options.has("quiet")
        if let text = options.value("log-format") {
            guard let format = LogFormat(rawValue: text) else { return Usage.fail("--log-format takes text or json", Usage.serve) }
            configuration.logFormat = format
        }
        Log.format = configuration.logFormat
        do {
            if let value = try positiveInt(options, "max-connections") { configuration.maxConnections = value }
            if let value = try positiveInt(options, "event-loops") { configuration.eventLoops = value }
            if let value = try positiveInt(options, "head-timeout") { configuration.headDeadline = .seconds(value) }
            if let value = try positiveInt(options, "body-timeout") { configuration.bodyDeadline = .seconds(value) }
            if let value = try positiveInt(options, "idle-timeout") { configuration.idleTimeout = .seconds(value) }
        } catch {
            return Usage.fail("\(error)", Usage.serve)
        }
        let audience = options.value("audience")
        if let audience, audience.isEmpty { return Usage.fail("--audience needs a URL", Usage.serve) }
        let legacyEnabledClients = options.has("legacy-enabled-clients")
        // After --event-loops: one set of counters per loop.
        switch options.value("metrics") ?? "on" {
        case "on": configuration.metrics = RouteTemplate.metrics(loops: configuration.eventLoops)
        case "off": configuration.metrics = nil
        default: return Usage.fail("--metrics takes on or off", Usage.serve)
        }
        let location = StoreLocation(options)
        let databasePath = location.value

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
        var revisionsKeep = 100
        do {
            if let value = try positiveInt(options, "token-lifetime") { tokenLifetime = value }
            // API.md: N >= 1; 0 or less is refused at start.
            let keepText = options.value("revisions-keep")
            if let keepText {
                guard let value = Int(keepText), value > 0 else {
                    throw ArgumentError.invalidValue("--revisions-keep needs a positive integer")
                }
                revisionsKeep = value
            }
        } catch {
            return Usage.fail("\(error)", Usage.serve)
        }

        // Block SIGINT/SIGTERM before the first thread (the store's writer) starts, so every
        // thread inherits the mask and a signal sent at any point shuts down cleanly.
        let termination = TerminationSignals()
        // CLI.md: nothing is created or printed before the server can serve. Bind first, then
        // take the file's instance lock and open the database, and only then make a token.
        let listener: HTTPListener
        do {
            listener = try HTTPListener.bind(host: configuration.host, port: configuration.port)
        } catch {
            Usage.printError("error: \(error)")
            return 1
        }
        let lock: InstanceLock?
        do {
            // PostgreSQL serves any number of instances: only a SQLite file is locked.
            lock = location.isPostgres ? nil : try InstanceLock.acquire(databasePath: databasePath)
        } catch let error as StoreError {
            listener.close()
            // API.md gives this line as is, without the "error: " of other failures.
            if case .anotherInstance = error { Usage.printError("\(error)") } else { Usage.printError("error: \(error)") }
            return 1
        } catch {
            listener.close()
            Usage.printError("error: \(error)")
            return 1
        }
        defer { lock?.release() }
        do {
            let store = try location.open()
            let admin = try AdminToken.resolve(environment: ProcessIO.environment("CONNECTIONS_API_TOKEN"), in: store)
            // Serving starts before the stored connections are loaded (issue 9's cold start): a
            // GET by id reads its row meanwhile, and whatever needs them all waits for the load.
            // The token, start and ready lines are printed once it is done.
            let server: HTTPServer
            let boundPort: Int
            do {
                let application = try Application(
                    store: store,
                    settings: .init(
                        adminTokenHash: admin.digest, rateLimit: rateLimit, limitAdmin: options.has("rate-limit-admin"),
                        tokenLifetimeSeconds: tokenLifetime,
                        legacyEnabledClients: legacyEnabledClients, audience: audience, revisionsKeep: revisionsKeep,
                        metrics: configuration.metrics, catalogLoading: .onThread))
                // The port is bound already: the default audience is known before the first request.
                application.useDefaultAudience("http://\(configuration.host):\(listener.port)/api/v2/")
                server = HTTPServer(configuration: configuration, handler: application)
                boundPort = try server.start(listener: listener)
                do {
                    try application.waitUntilLoaded()
                } catch {
                    // Requests waiting for the catalog were answered with the error; stop serving.
                    server.shutdown(grace: .zero)
                    server.waitUntilStopped()
                    throw error
                }
            } catch {
                // The stored data cannot be served: a token generated for it would be stored
                // but never shown. Take it back, so the next start generates and prints one.
                if admin.source == .generated { try? store.writeAndWait { try $0.setAdminTokenHash(nil) } }
                throw error
            }
            if let token = admin.generatedToken {
                Usage.printLine("admin token (shown once; only its hash is kept): \(token)")
            }
            // A server line like any other: timestamped, and the `msg` of a JSON line.
            Log.info(
                "connections-api \(BuildVersion.current) starting: backend \(location.backend), db \(location.display), admin token: \(admin.source.rawValue)"
            )
            Usage.printLine("listening on http://\(configuration.host):\(boundPort) (db \(location.display))")
            termination.wait()
            server.shutdown(grace: .seconds(10))
            server.waitUntilStopped()
            try store.close()
            Log.info("stopped", ("requests_served", server.requestsAnswered))
            return 0
        } catch {
            Usage.printError("error: \(error)")
            return 1
        }
    }

    private static func positiveInt(_ options: ArgumentList, _ name: String) throws -> Int? {
        guard let text = options.value(name) else { return nil }
        guard let value = Int(text), value > 0 else { throw ArgumentError.invalidValue("--\(name) needs a positive integer") }
        return value
    }
}
