import ConnectionsService
import HTTP
import JSON

/// One authenticated API call on its way to a handler: the request, who sent it, its
/// decoded query, and the one-shot way back to the client. Handlers either answer before
/// returning or, for durable writes, from the store's writer thread after the commit.
struct Exchange: Sendable {
    let request: HTTPRequest
    let principal: Principal
    let query: QueryParameters
    /// How the dispatch boundary answers (it renders errors), and the way back to the client.
    private let boundary: ErrorBoundary
    private let respond: @Sendable (HTTPResponse) -> Void

    init(
        request: HTTPRequest, principal: Principal, query: QueryParameters, boundary: ErrorBoundary,
        respond: @escaping @Sendable (HTTPResponse) -> Void
    ) {
        self.request = request
        self.principal = principal
        self.query = query
        self.boundary = boundary
        self.respond = respond
    }

    func send(_ response: consuming HTTPResponse) {
        var response = response
        boundary.complete(&response)
        respond(response)
    }

    func send(_ status: HTTPStatus, _ value: JSONValue) {
        send(.json(status, value))
    }

    /// Sends the outcome of an asynchronous step; a failure is rendered at the boundary.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        switch result {
        case .success(let response): send(response)
        case .failure(let error): respond(boundary.render(.failure(error)))
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
