import ConnectionsService
import ConnectionsStore
import HTTP
import HTTPTransport
import JSON

/// How the dispatch boundary (`Application`) answers one request, and the one place errors
/// become responses. Handlers throw, or complete a durable write with a failure;
/// neither catches nor renders. Here an error that renders itself (`HTTPResponseError`:
/// `APIError`, `OAuthError`, `ServiceError`) does; the store's name conflict is a 409
/// (decided by SQLite's constraint code in the store), a write the store could not make
/// durable a 503 in the endpoint's shape (API.md, "Store failures"); anything else is logged
/// without detail that could hold secrets and answered with a plain 500. Every answer then
/// gets the rate-limit headers and names the caller and the route for the log and metrics.
struct ErrorBoundary: Sendable {
    /// Whose error body a store failure takes: Auth0's, or OAuth's on `POST /oauth/token`.
    enum Shape: Sendable {
        case auth0
        case oauth
    }

    let route: RouteTemplate?
    var shape = Shape.auth0
    /// The caller, once authenticated.
    var actor: String? = nil
    /// The rate-limit headers (API.md: on every `/api/v2` response).
    var headers: [(String, String)] = []

    /// The answer, or the error rendered.
    func render(_ result: Result<HTTPResponse, any Error>) -> HTTPResponse {
        var response: HTTPResponse
        switch result {
        case .success(let answer): response = answer
        case .failure(let error): response = Self.response(for: error, shape: shape)
        }
        complete(&response)
        return response
    }

    /// Adds the rate-limit headers and names the caller and the route. In place: a GET's
    /// answer is not copied on its way out (callgrind, release: a GET 29.6k -> 28.9k instructions).
    func complete(_ response: inout HTTPResponse) {
        for (name, value) in headers { response.headers.add(name: name, value: value) }
        response.actor = actor
        response.route = route
    }

    static func response(for error: any Error, shape: Shape) -> HTTPResponse {
        switch error {
        case let error as any HTTPResponseError:
            return error.response
        case StoreError.nameConflict:
            return APIError.nameConflict.response
        case StoreError.unavailable:
            // The writer has logged the fault (file and cause) once; each request needs no line.
            return shape == .oauth ? OAuthError.storeUnavailable.response : APIError.storeUnavailable.response
        default:
            Log.error("internal error: \(String(describing: type(of: error))): \(error)")
            return APIError.internalError.response
        }
    }
}

/// A service job's domain error answers as its `APIError`.
extension ServiceError: HTTPResponseError {
    package var status: HTTPStatus { answer.status }
    package var headers: [(String, String)] { answer.headers }
    package var body: JSONObject { answer.body }

    private var answer: APIError {
        switch self {
        case .connectionNotFound: return .connectionNotFound
        case .revisionNotFound: return .revisionNotFound
        case .nameConflict: return .nameConflict
        case .rejected(let judgement): return .rejected(judgement)
        case .preconditionFailed(let revision): return .preconditionFailed(currentRevision: revision)
        case .deletionNotRestorable(let revision): return .deletionNotRestorable(revision)
        }
    }
}
