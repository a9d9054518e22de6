import HTTP

/// How a machine client authenticates at `POST /oauth/token` (API.md): `client_id` and
/// `client_secret` in the body (`client_secret_post`) or HTTP Basic (`client_secret_basic`,
/// RFC 6749 §2.3.1), never both.
struct ClientCredentials: Sendable {
    let clientID: String
    let secret: String

    /// The credentials of a token request; `nil` when the request carries none that are
    /// complete (the caller answers 401, as for a wrong secret).
    static func find(in headers: HTTPHeaders, form: [String: String]) throws(OAuthError) -> ClientCredentials? {
        if let basic = try basic(headers) {
            // RFC 6749 §2.3: a client uses one authentication method per request. Auth0 lets a
            // body `client_id` repeat the Basic one.
            if form["client_secret"] != nil || form["client_id"].map({ $0 != basic.clientID }) == true {
                throw OAuthError(
                    status: .badRequest, code: "invalid_request", description: "Only one client authentication method may be used")
            }
            return basic
        }
        guard let clientID = form["client_id"], let secret = form["client_secret"], !clientID.isEmpty, !secret.isEmpty
        else { return nil }
        return ClientCredentials(clientID: clientID, secret: secret)
    }

    /// The `Basic` Authorization header's credentials: base64 of `id:secret`, each form-encoded
    /// (RFC 6749 §2.3.1, so `:` in a client id travels as `%3A`). `nil` without a Basic header;
    /// other schemes are not client authentication and are ignored.
    private static func basic(_ headers: HTTPHeaders) throws(OAuthError) -> ClientCredentials? {
        var found: Substring?
        for field in headers where HTTPHeaders.namesEqual(field.name, "Authorization") {
            let value = field.value[...].trimmingSpaces
            guard value.count > scheme.count, value.prefix(scheme.count).lowercased() == scheme else { continue }
            guard found == nil else { throw malformed }
            found = value.dropFirst(scheme.count).trimmingSpaces
        }
        guard let encoded = found else { return nil }
        guard let decoded = Base64URL.decodePadded(String(encoded)), let text = String(validating: decoded, as: UTF8.self),
            let colon = text.firstIndex(of: ":"),
            let clientID = QueryParameters.decodeComponent(text[..<colon]),
            let secret = QueryParameters.decodeComponent(text[text.index(after: colon)...])
        else { throw malformed }
        guard !clientID.isEmpty, !secret.isEmpty else { return nil }
        return ClientCredentials(clientID: clientID, secret: secret)
    }

    private static let scheme = "basic "

    private static let malformed = OAuthError(
        status: .badRequest, code: "invalid_request",
        description: "Malformed Basic authorization header: send base64 of client_id:client_secret")
}
