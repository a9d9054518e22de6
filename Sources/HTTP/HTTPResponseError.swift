import JSON

/// An error that is its own answer: a status, the headers it needs (`Retry-After`,
/// `WWW-Authenticate`, `Allow`, `Cache-Control`) and a JSON body, Auth0's shape (`APIError`,
/// `HTTPParseError`) or OAuth's (`OAuthError`). Errors are thrown (or completed with) up to
/// one boundary, `ErrorBoundary`, which renders them through `response`; an error that does
/// not conform is a plain 500 there. (Hummingbird's `HTTPResponseError`, caught in its responder.)
package protocol HTTPResponseError: Error, Sendable {
    var status: HTTPStatus { get }
    /// Sent after `Content-Type`, in this order.
    var headers: [(String, String)] { get }
    var body: JSONObject { get }
}

extension HTTPResponseError {
    package var headers: [(String, String)] { [] }

    /// JSON: `Content-Type` first, then `headers`.
    package var response: HTTPResponse {
        .json(status, body: JSONWriter.encode(.object(body)), headers: headers)
    }

    /// Auth0's error body, `{"statusCode":N,"error":"<reason>","message":"...","errorCode":"..."}`:
    /// the reason phrase is the `error` (`HTTPStatus`), `errorCode` only when there is one.
    package static func auth0Body(_ status: HTTPStatus, message: String, errorCode: String? = nil) -> JSONObject {
        var body: JSONObject = [
            "statusCode": .int(status.code),
            "error": .string(status.reason),
            "message": .string(message),
        ]
        if let errorCode { body["errorCode"] = .string(errorCode) }
        return body
    }
}
