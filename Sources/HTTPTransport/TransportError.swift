import HTTP
import JSON

/// What the transport answers on its own, with no request for the application to answer: a
/// request that did not arrive in time, a connection over the cap, a handler that dropped its
/// response. (A request it could not frame is an `HTTPParseError`.) Always closes.
struct TransportError: HTTPResponseError {
    let status: HTTPStatus
    let message: String
    var headers: [(String, String)] = []

    var body: JSONObject { Self.auth0Body(status, message: message) }

    static let requestTimeout = TransportError(status: .requestTimeout, message: "Request Timeout")
    static let tooManyConnections = TransportError(
        status: .serviceUnavailable, message: "Too many open connections; try again later", headers: [("Retry-After", "1")])
    /// The handler dropped its way to answer without using it (a bug): better a 500 than a wait.
    static let abandoned = TransportError(status: .internalServerError, message: "Internal Server Error")
}
