import HTTP
import JSON

/// An error of `POST /oauth/token`, in the OAuth 2.0 shape (RFC 6749 §5.2) that Auth0's
/// token endpoint answers: `{"error","error_description"}`, never cached.
struct OAuthError: HTTPResponseError {
    let status: HTTPStatus
    let code: String
    let description: String

    var headers: [(String, String)] {
        var headers: [(String, String)] = [("Cache-Control", "no-store")]
        if status == .unauthorized { headers.append(("WWW-Authenticate", "Basic realm=\"oauth\"")) }
        if status == .serviceUnavailable { headers.append(("Retry-After", "5")) }
        return headers
    }

    var body: JSONObject { ["error": .string(code), "error_description": .string(description)] }

    static let missingGrantType = OAuthError(
        status: .badRequest, code: "invalid_request", description: "Missing required parameter: grant_type")

    static func unsupportedGrantType(_ grantType: String) -> OAuthError {
        OAuthError(status: .forbidden, code: "unsupported_grant_type", description: "Unsupported grant type: \(grantType)")
    }

    /// An unknown or revoked client, a wrong secret, or no credentials at all.
    static let unauthorized = OAuthError(status: .unauthorized, code: "access_denied", description: "Unauthorized")

    /// The token could not be stored durably (API.md, "Store failures"). RFC 6749 names
    /// `temporarily_unavailable` for the authorization endpoint (§4.1.2.1); §5.2 has no code
    /// for a token endpoint that cannot answer for now, and this one says what happened.
    static let storeUnavailable = OAuthError(
        status: .serviceUnavailable, code: "temporarily_unavailable", description: "The store is unavailable")

    static func audienceNotEnabled(_ audience: String) -> OAuthError {
        OAuthError(status: .forbidden, code: "access_denied", description: "Service not enabled within domain: \(audience)")
    }

    static func scopesNotGranted(_ scopes: [String]) -> OAuthError {
        OAuthError(
            status: .forbidden, code: "access_denied",
            description: "Client has not been granted scopes: \(scopes.joined(separator: " "))")
    }
}
