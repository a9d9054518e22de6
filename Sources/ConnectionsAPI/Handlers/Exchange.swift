import ConnectionsService
import JSON

/// One authenticated API call on its way to a handler: the request, who sent it, its
/// decoded query, and the one-shot way back to the client. Handlers either answer before
/// returning or, for durable writes, from the store's writer thread after the commit.
struct Exchange: Sendable {
    let request: HTTPRequest
    let principal: Principal
    let query: QueryParameters
    let route: RouteTemplate
    private let respond: @Sendable (HTTPResponse) -> Void

    init(
        request: HTTPRequest, principal: Principal, query: QueryParameters, route: RouteTemplate,
        respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        self.request = request
        self.principal = principal
        self.query = query
        self.route = route
        self.respond = respond
    }

    /// Every answer goes out here, naming the caller for the log line and the route for metrics.
    func send(_ response: HTTPResponse) {
        var response = response
        response.actor = principal.logName
        response.route = route
        respond(response)
    }

    func send(_ status: HTTPStatus, _ value: JSONValue) {
        send(.json(status, value))
    }

    /// Answers with `error` rendered at the one boundary (`ErrorRenderer`).
    func fail(_ error: any Error) {
        send(ErrorRenderer.response(for: error))
    }

    /// Sends the outcome of an asynchronous step.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        switch result {
        case .success(let response): send(response)
        case .failure(let error): fail(error)
        }
    }

    /// Whether the caller may see `options` (API.md: `read:connections_options`).
    var canReadOptions: Bool {
        principal.scopes.contains(.readConnectionsOptions)
    }

    /// Who makes a write, as its revision records it.
    var actor: RevisionActor {
        switch principal.subject {
        case .admin: return .admin
        case .client(let id): return .client(id: id)
        }
    }

    /// Throws 403 unless the caller holds `scope`.
    func require(_ scope: Scopes) throws {
        guard principal.scopes.contains(scope) else {
            throw APIError.insufficientScope([scope.description])
        }
    }
}
