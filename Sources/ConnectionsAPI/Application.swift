import ConnectionsService
import ConnectionsStore
import HTTP
import HTTPTransport
import Synchronization
import Validation

/// The service as the transport sees it: routes each request, authenticates it, applies
/// the rate limit, dispatches to a handler, and renders every error at this one boundary.
///
/// Order of checks (API.md): route (unknown path 404, unknown method 501, other method
/// 405 with `Allow`), then authentication and scope, then the body.
public final class Application: HTTPHandler {
    /// RFC 9110 §9 methods; anything else is 501.
    private static let knownMethods: Set<HTTPMethod> = [
        .get, .head, .post, .put, .delete, .patch, .options,
        HTTPMethod(rawValue: "CONNECT"), HTTPMethod(rawValue: "TRACE"),
    ]

    private let service: ConnectionsService
    private let authenticator: Authenticator
    private let rateLimiter: RateLimiter?
    private let limitAdmin: Bool
    private let connections: ConnectionsHandler
    private let clients: ConnectionClientsHandler
    private let revisions: RevisionsHandler
    private let prompts: PromptsHandler
    private let oauth: OAuthTokenHandler
    /// The transport's counters for `/metrics`; `nil` when metrics are off (`/metrics` is 404).
    private let metrics: HTTPMetrics?
    private let rateLimited = Atomic<Int>(0)
    /// Where costly requests are handled, off the event loops (`isCostly`): one thread per core.
    private let workers = WorkerPool(threads: ServerConfiguration.onlineCores)

    /// Configuration the executable passes in.
    public struct Settings: Sendable {
        /// SHA-256 of the admin token (`CONNECTIONS_API_TOKEN` or a generated one).
        public var adminTokenHash: [UInt8]?
        /// `nil` turns rate limiting off (`--rate-limit off`).
        public var rateLimit: (rate: Double, burst: Int)?
        /// Whether the admin token is rate limited too (`--rate-limit-admin`).
        public var limitAdmin: Bool
        /// Lifetime of tokens from `POST /oauth/token`.
        public var tokenLifetimeSeconds: Int
        /// `--legacy-enabled-clients`: connections carry `enabled_clients` (API.md).
        public var legacyEnabledClients: Bool
        /// `--audience`: the API identifier `POST /oauth/token` accepts; `nil` for the
        /// server's own URL, given later through `useDefaultAudience(_:)`.
        public var audience: String?
        /// Revisions kept per connection (`--revisions-keep`, at least 1).
        public var revisionsKeep: Int

        /// The counters the transport keeps (`ServerConfiguration.metrics`); `nil` turns `/metrics` off.
        public var metrics: HTTPMetrics?

        /// When the stored connections are loaded (`serve` loads them in the background:
        /// `waitUntilLoaded()`).
        public var catalogLoading: CatalogLoading

        public init(
            adminTokenHash: [UInt8]?, rateLimit: (rate: Double, burst: Int)? = (100, 200), limitAdmin: Bool = false,
            tokenLifetimeSeconds: Int = 86_400, legacyEnabledClients: Bool = false, audience: String? = nil,
            revisionsKeep: Int = ConnectionsService.defaultRevisionsKeep,
            metrics: HTTPMetrics? = nil, catalogLoading: CatalogLoading = .now
        ) {
            self.adminTokenHash = adminTokenHash
            self.rateLimit = rateLimit
            self.limitAdmin = limitAdmin
            self.tokenLifetimeSeconds = tokenLifetimeSeconds
            self.legacyEnabledClients = legacyEnabledClients
            self.audience = audience
            self.revisionsKeep = revisionsKeep
            self.metrics = metrics
            self.catalogLoading = catalogLoading
        }
    }

    /// Loads the read model from the store (through the service, now or in the background as
    /// `settings.catalogLoading` says) and wires the handlers.
    public init(store: ConnectionStore, settings: Settings) throws {
        service = try ConnectionsService(
            store: store, revisionsKeep: settings.revisionsKeep, legacyEnabledClients: settings.legacyEnabledClients,
            loading: settings.catalogLoading, clock: { WallClock.milliseconds() }, makeID: { ConnectionID.generate() })
        let path = store.path
        store.observeHealth { health in
            switch health {
            case .available: Log.info("database \(path): writes are durable again")
            case .unavailable(let fault) where fault.isPermanent:
                Log.error("\(fault); every write answers 503 until the server is restarted")
            case .unavailable(let fault): Log.error("\(fault); writes answer 503 until it is fixed")
            }
        }
        let credentials = try CredentialTable(store: store)
        authenticator = Authenticator(adminTokenHash: settings.adminTokenHash, store: store, credentials: credentials)
        rateLimiter = settings.rateLimit.map { RateLimiter(policy: .init(rate: $0.rate, burst: $0.burst)) }
        limitAdmin = settings.limitAdmin
        connections = ConnectionsHandler(service: service)
        clients = ConnectionClientsHandler(service: service)
        revisions = RevisionsHandler(service: service)
        self.prompts = PromptsHandler(service: service)
        oauth = OAuthTokenHandler(
            store: store, table: credentials, tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
            audience: TokenAudience(configured: settings.audience))
        metrics = settings.metrics
    }

    /// Stored data the service cannot serve (a connection or the settings row in a shape this
    /// service never writes): the server refuses to start.
    public typealias StartupError = ConnectionsService.StartupError

    /// The server's own API URL (`http://<host>:<port>/api/v2/`, once the port is bound):
    /// the audience of `POST /oauth/token` unless `Settings.audience` named one.
    public func useDefaultAudience(_ url: String) {
        oauth.audience.useDefault(url)
    }

    /// Blocks until every stored connection is loaded (`Settings.catalogLoading`); rethrows
    /// what stopped the load. Requests that wait for it get that error.
    public func waitUntilLoaded() throws {
        try service.waitUntilLoaded()
    }

    public func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let route: Route
        switch resolve(request) {
        case .success(let resolved):
            route = resolved
        case .failure(let error):
            respond(routeFailure(error, request))
            return
        }
        if !service.isLoaded && Self.needsCatalog(route, request) {
            // Start-up is still loading the stored connections: handled once it is done, from
            // the start (the rate limit, the scopes), on a worker.
            service.whenLoaded { [self] loaded in
                switch loaded {
                case .success: workers.submit { self.handle(request, respond: respond) }
                case .failure:
                    // The server stops: `serve` prints why, once.
                    respond(ErrorBoundary(route: route.template).render(.failure(APIError.storeUnavailable)))
                }
            }
            return
        }
        switch route {
        case .healthz:
            // API.md: 503 while the store cannot make writes durable; reads are still served.
            var response: HTTPResponse
            if case .unavailable = service.store.health {
                response = .json(.serviceUnavailable, body: Array(#"{"status":"degraded","store":"unavailable"}"#.utf8))
            } else {
                response = .json(.ok, body: Array(#"{"status":"ok"}"#.utf8))
            }
            response.route = .healthz
            respond(response)
        case .metrics:
            respond(metricsPage())
        case .openAPI:
            var response = HTTPResponse.json(.ok, body: EmbeddedOpenAPI.document)
            response.route = .openAPI
            respond(response)
        case .oauthToken where request.body.count > Self.offLoopBytes || service.store.isShared:
            // No token is needed here, so anyone may send a large body to be parsed. On a shared
            // store, a client created or revoked by another instance is read first.
            service.store.checkCredentials { [self] in
                workers.submit { [self] in issueToken(request, respond: respond) }
            }
        case .oauthToken:
            issueToken(request, respond: respond)
        default:
            handleAPI(request, route: route, respond: respond)
        }
    }

    /// API.md "CPU budget": a request with a body that fails routing or authentication is refused
    /// from its head, before the body is read (the scope and the body are checked in `handle`).
    public func screen(_ head: HTTPRequest) -> HTTPResponse? {
        switch resolve(head) {
        case .failure(let error):
            return routeFailure(error, head)
        case .success(.healthz), .success(.metrics), .success(.openAPI), .success(.oauthToken):
            // No bearer token on these (`handle` answers them before `handleAPI`).
            return nil
        case .success(let route):
            // A client token on a shared store is judged off the loop in `handle`, before its
            // body is parsed (only its reading is not spared); so is every token while a
            // credentials change by another instance is being read.
            guard !service.store.credentialsPending else { return nil }
            do {
                _ = try authenticator.authenticate(head.headers)
                return nil
            } catch {
                return refusal(error, route: route)
            }
        }
    }

    private func routeFailure(_ error: APIError, _ request: HTTPRequest) -> HTTPResponse {
        var boundary = ErrorBoundary(route: Route(path: request.path)?.template)
        // API.md: every /api/v2 response carries the rate-limit headers, routing errors too.
        if request.path.hasPrefix("/api/v2"), let rateLimiter { boundary.headers = rateLimiter.unlimitedDecision().headers }
        return boundary.render(.failure(error))
    }

    /// `POST /oauth/token`: store failures answer in OAuth's shape.
    private func issueToken(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let boundary = ErrorBoundary(route: .oauthToken, shape: .oauth)
        do {
            try oauth.issue(request) { result in respond(boundary.render(result)) }
        } catch {
            respond(boundary.render(.failure(error)))
        }
    }

    /// Whether answering `request` needs every stored connection in the catalog: all but a GET
    /// by id without a query (read from the store while loading; a `fields` projection may be
    /// costly, `isCostly` would not know), the token endpoint and the OpenAPI document. `/healthz` answers 200 only once the server serves everything without
    /// waiting, and `/metrics` counts every stored connection.
    private static func needsCatalog(_ route: Route, _ request: HTTPRequest) -> Bool {
        switch route {
        case .connection where request.method == .get: return request.query != nil
        case .oauthToken, .openAPI: return false
        default: return true
        }
    }

    /// Unknown path 404, unknown method 501, known path with another method 405.
    private func resolve(_ request: HTTPRequest) -> Result<Route, APIError> {
        guard let route = Route(path: request.path) else { return .failure(.routeNotFound) }
        // `/metrics` switched off is an unknown path.
        if route == .metrics && metrics == nil { return .failure(.routeNotFound) }
        // Every allowed method is a known one: the set of known methods (hashing the method's
        // name) is consulted only for the answer to a method the route does not allow.
        let allowed = route.allowedMethods
        if allowed.contains(request.method) { return .success(route) }
        guard Self.knownMethods.contains(request.method) else { return .failure(.methodNotImplemented) }
        return .failure(.methodNotAllowed(allowed))
    }

    /// Every `/api/v2` response carries the `x-ratelimit-*` headers (API.md). On PostgreSQL a
    /// client token is judged once the store has read its credentials version again (one read
    /// shared by the requests waiting meanwhile, on the store's thread) and on a worker thread,
    /// where a token minted by another instance is looked up; so are all requests while a
    /// change another instance announced is being read. No event loop waits for the database.
    private func handleAPI(_ request: HTTPRequest, route: Route, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        if service.store.credentialsPending {
            // Another instance changed a client or the admin token, and memory is being read
            // again (about a millisecond): authenticate once it is, on a worker.
            service.store.checkCredentials { [self] in
                self.workers.submit { self.authenticateAndServe(request, route: route, respond: respond) }
            }
            return
        }
        authenticateAndServe(request, route: route, respond: respond)
    }

    private func authenticateAndServe(
        _ request: HTTPRequest, route: Route, respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        do {
            switch try authenticator.authenticate(request.headers) {
            case .known(let principal):
                serve(request, route: route, principal: principal, respond: respond)
            case .unverified(let digest):
                service.store.checkCredentials { [self] in
                    self.workers.submit { [self] in
                        do {
                            serve(request, route: route, principal: try authenticator.verify(digest: digest), respond: respond)
                        } catch {
                            respond(refusal(error, route: route))
                        }
                    }
                }
            }
        } catch {
            respond(refusal(error, route: route))
        }
    }

    /// A request refused before its caller is known (from its head in `screen`, or once its
    /// token is judged): a full bucket's rate-limit headers.
    private func refusal(_ error: any Error, route: Route) -> HTTPResponse {
        ErrorBoundary(route: route.template, headers: rateLimiter?.unlimitedDecision().headers ?? []).render(.failure(error))
    }

    /// An authenticated request: the rate limit, then the handler (on a worker when costly).
    private func serve(
        _ request: HTTPRequest, route: Route, principal: Principal, respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        var boundary = ErrorBoundary(route: route.template)
        boundary.actor = principal.logName
        do {
            if let rateLimiter {
                let limited = principal.subject != .admin || limitAdmin
                let decision = limited ? rateLimiter.take(key: Self.rateKey(principal)) : rateLimiter.unlimitedDecision()
                boundary.headers = decision.headers
                guard decision.allowed else {
                    rateLimited.add(1, ordering: .relaxed)
                    throw APIError.tooManyRequests(retryAfter: decision.retryAfter)
                }
            }
            guard let query = QueryParameters(raw: request.query) else {
                throw APIError.invalidQuery("Malformed percent-encoding in the query string")
            }
            let exchange = Exchange(request: request, principal: principal, query: query, boundary: boundary, respond: respond)
            if isCostly(request, route, query) {
                workers.submit { [self] in dispatch(route, exchange) }
            } else {
                dispatch(route, exchange)
            }
        } catch {
            // Refused before the caller's bucket was taken from: a full bucket's headers.
            if boundary.headers.isEmpty, let rateLimiter { boundary.headers = rateLimiter.unlimitedDecision().headers }
            respond(boundary.render(.failure(error)))
        }
    }

    /// Requests whose bodies (with, for a PATCH or a `fields` projection, the stored connection
    /// they are merged with or parsed from) pass this size, and history reads on PostgreSQL, are
    /// handled on a worker thread: judging costs up to ~50 ms of CPU per MiB (BENCHMARKS.md,
    /// "Hostile bodies"), so a loop keeps its other connections waiting no more than ~3 ms for
    /// anything smaller, and none waits for the network.
    static let offLoopBytes = 65_536

    private func isCostly(_ request: HTTPRequest, _ route: Route, _ query: QueryParameters) -> Bool {
        switch route {
        case .connectionRevisions, .connectionRevision:
            // History is read from the database, not memory: on PostgreSQL, a network round trip.
            if service.store.isShared { return true }
        default: break
        }
        var bytes = request.body.count
        if case .connection(let id) = route,
            request.method == .patch || (request.method == .get && query.value("fields") != nil)
        {
            bytes += service.catalog.entry(id: id)?.body.count ?? 0
        }
        return bytes > Self.offLoopBytes
    }

    /// `GET /metrics`: the transport's counters merged, with the store's and the process's figures.
    private func metricsPage() -> HTTPResponse {
        guard let metrics else { return APIError.routeNotFound.response }
        let figures = MetricsPage.Figures(
            http: metrics.snapshot(), commits: service.store.commitStatistics, connections: service.catalog.count,
            rateLimited: rateLimited.load(ordering: .relaxed), version: BuildVersion.current,
            residentMemoryBytes: ProcessStatistics.residentMemoryBytes(),
            startTimeSeconds: ProcessStatistics.startTimeSeconds())
        var response = HTTPResponse(
            status: .ok, headers: ["Content-Type": MetricsPage.contentType], body: Array(MetricsPage.render(figures).utf8))
        response.route = .metrics
        return response
    }

    private static func rateKey(_ principal: Principal) -> String {
        switch principal.subject {
        case .admin: return "admin"
        case .client(let id): return "client:" + id
        }
    }

    /// Hands the exchange to the route's handler. What the handler throws is answered like
    /// what it completes a write with: through the exchange, so at the boundary.
    private func dispatch(_ route: Route, _ exchange: Exchange) {
        do {
            try handler(route, exchange.request.method, exchange)
        } catch {
            exchange.finish(.failure(error))
        }
    }

    private func handler(_ route: Route, _ method: HTTPMethod, _ exchange: Exchange) throws {
        switch (route, method) {
        case (.connections, .get): try connections.list(exchange)
        case (.connections, .post): try connections.create(exchange)
        case (.connection(let id), .get): try connections.get(exchange, id: id)
        case (.connection(let id), .patch): try connections.update(exchange, id: id)
        case (.connection(let id), .delete): try connections.delete(exchange, id: id)
        case (.connectionClients(let id), .get): try clients.get(exchange, id: id)
        case (.connectionClients(let id), .patch): try clients.update(exchange, id: id)
        case (.connectionRevisions(let id), .get): try revisions.list(exchange, id: id)
        case (.connectionRevision(let id, let number), .get): try revisions.get(exchange, id: id, number: number)
        case (.connectionRevisionRestore(let id, let number), .post): try revisions.restore(exchange, id: id, number: number)
        case (.prompts, .get): try prompts.get(exchange)
        case (.prompts, .patch): try prompts.update(exchange)
        default: throw APIError.methodNotAllowed(route.allowedMethods)
        }
    }
}
