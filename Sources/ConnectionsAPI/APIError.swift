import HTTP
import JSON
import Validation

/// An error a client is meant to see, in Auth0's shape, with the violations of a rejected
/// body when there are any. Rendered at the one boundary (`ErrorBoundary`).
struct APIError: HTTPResponseError {
    let status: HTTPStatus
    /// Auth0's `errorCode`; absent for the generic HTTP errors (API.md table).
    let errorCode: String?
    let message: String
    /// Every violation found, on 400s produced by the validation engine.
    var violations: [Violation]? = nil
    var headers: [(String, String)] = []

    var body: JSONObject {
        var body = Self.auth0Body(status, message: message, errorCode: errorCode)
        if let violations { body["violations"] = .array(violations.map(\.json)) }
        return body
    }
}

extension APIError {
    static func invalidBody(_ message: String, violations: [Violation]? = nil, errorCode: String = "invalid_body") -> APIError {
        APIError(status: .badRequest, errorCode: errorCode, message: message, violations: violations)
    }

    /// Rejected by the validation engine: the first error's message and code, every violation.
    static func rejected(_ judgement: Judgement) -> APIError {
        let first = judgement.firstError
        return invalidBody(
            first?.message ?? "Invalid request", violations: judgement.violations, errorCode: first?.errorCode ?? "invalid_body")
    }

    /// Auth0's message for a body that is not JSON or not an object, with the reason a person
    /// can act on as the one violation (where the parser stopped, or the type found).
    static func invalidJSON(because reason: Violation) -> APIError {
        invalidBody("Invalid request payload JSON format", violations: [reason])
    }

    static func invalidQuery(_ detail: String, property: String? = nil, description: String? = nil) -> APIError {
        var message = "Query validation error: '\(detail)'"
        if let property { message += " on property \(property)" }
        if let description { message += " (\(description))" }
        return APIError(status: .badRequest, errorCode: "invalid_query_string", message: message + ".")
    }

    static func invalidConnectionID(_ id: String) -> APIError {
        APIError(
            status: .badRequest, errorCode: "invalid_uri",
            message:
                "Path validation error: 'Object didn't pass validation for format connection-id: \(id)' on property id (The id of the connection)."
        )
    }

    static let badAuthorizationHeader = APIError(status: .badRequest, errorCode: "Bearer", message: "Bad HTTP authentication header format")
    static let missingAuthentication = APIError(
        status: .unauthorized, errorCode: nil, message: "Missing authentication", headers: [("WWW-Authenticate", "Bearer")])
    static let invalidToken = APIError(
        status: .unauthorized, errorCode: nil, message: "Invalid token",
        headers: [("WWW-Authenticate", "Bearer error=\"invalid_token\"")])

    static func insufficientScope(_ expected: [String]) -> APIError {
        APIError(
            status: .forbidden, errorCode: "insufficient_scope",
            message: "Insufficient scope, expected any of: \(expected.joined(separator: ","))")
    }

    static let connectionNotFound = APIError(
        status: .notFound, errorCode: "inexistent_connection", message: "The connection does not exist")
    static let revisionNotFound = APIError(status: .notFound, errorCode: "inexistent_revision", message: "The revision does not exist")

    /// `If-Match` failed: the connection's current revision, or `nil` when it is not live.
    static func preconditionFailed(currentRevision: Int?) -> APIError {
        APIError(
            status: .preconditionFailed, errorCode: "precondition_failed",
            message: currentRevision.map { "The connection has changed: current revision is \($0)" } ?? "The connection does not exist")
    }

    static func invalidHeader(_ name: String) -> APIError {
        APIError(status: .badRequest, errorCode: "invalid_headers", message: "Invalid \(name) header")
    }

    static func deletionNotRestorable(_ revision: Int) -> APIError {
        APIError(
            status: .badRequest, errorCode: "operation_not_supported",
            message: "Revision \(revision) records a deletion and cannot be restored")
    }

    static let routeNotFound = APIError(status: .notFound, errorCode: nil, message: "Not Found")
    static let methodNotImplemented = APIError(status: .notImplemented, errorCode: nil, message: "Not Implemented")

    static func methodNotAllowed(_ allowed: [HTTPMethod]) -> APIError {
        APIError(
            status: .methodNotAllowed, errorCode: nil, message: "Method Not Allowed",
            headers: [("Allow", allowed.map(\.rawValue).joined(separator: ", "))])
    }

    static let nameConflict = APIError(
        status: .conflict, errorCode: "connection_conflict", message: "A connection with the same name already exists")
    static let unsupportedMediaType = APIError(
        status: .unsupportedMediaType, errorCode: nil, message: "Unsupported Media Type: send the body as application/json")
    static let internalError = APIError(status: .internalServerError, errorCode: nil, message: "Internal Server Error")
    /// A write the store could not make durable (disk full, read-only, the file moved): retry later.
    static let storeUnavailable = APIError(
        status: .serviceUnavailable, errorCode: nil, message: "The store is unavailable", headers: [("Retry-After", "5")])

    static func tooManyRequests(retryAfter seconds: Int) -> APIError {
        APIError(
            status: .tooManyRequests, errorCode: "too_many_requests", message: "Global limit has been reached",
            headers: [("Retry-After", String(seconds))])
    }
}
