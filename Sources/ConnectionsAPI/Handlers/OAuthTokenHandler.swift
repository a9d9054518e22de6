import ConnectionsStore
import Validation

/// `POST /oauth/token`, the client-credentials grant (RFC 6749 §4.4) for machine clients
/// registered with `connections-api clients create`. Errors use the OAuth 2.0 shape
/// (RFC 6749 §5.2, as Auth0's own token endpoint does): `{"error","error_description"}`.
struct OAuthTokenHandler: Sendable {
    let store: ConnectionStore
    let tokenLifetimeSeconds: Int

    struct OAuthError: Error {
        let status: HTTPStatus
        let code: String
        let description: String

        var response: HTTPResponse {
            var headers: [(String, String)] = [("Cache-Control", "no-store")]
            if status == .unauthorized { headers.append(("WWW-Authenticate", "Basic realm=\"oauth\"")) }
            return .json(status, .object(["error": .string(code), "error_description": .string(description)]), headers: headers)
        }
    }

    func issue(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        do {
            let form = try Self.form(request)
            guard form["grant_type"] == "client_credentials" else {
                throw OAuthError(status: .badRequest, code: "unsupported_grant_type", description: "grant_type must be client_credentials")
            }
            guard let clientID = form["client_id"], let secret = form["client_secret"], !clientID.isEmpty, !secret.isEmpty else {
                throw OAuthError(status: .unauthorized, code: "invalid_client", description: "client_id and client_secret are required")
            }
            let client = try store.client(id: clientID)
            // Hash the offered secret even for an unknown client, so timing does not tell
            // which client ids exist.
            let offered = TokenHash.sha256(secret)
            guard let client, !client.isRevoked, TokenHash.equal(offered, client.secretHash) else {
                throw OAuthError(status: .unauthorized, code: "invalid_client", description: "Unauthorized")
            }
            let token = TokenHash.randomToken()
            let lifetime = tokenLifetimeSeconds
            let expiresAt = WallClock.seconds() + Int64(lifetime)
            let scopes = client.scopes
            store.write { transaction in
                try transaction.insertToken(hash: TokenHash.sha256(token), clientID: client.clientID, scopes: scopes, expiresAt: expiresAt)
            } completion: { result in
                switch result {
                case .success:
                    respond(
                        .json(
                            .ok,
                            .object([
                                "access_token": .string(token),
                                "token_type": .string("Bearer"),
                                "expires_in": .int(lifetime),
                                "scope": .string(scopes.joined(separator: " ")),
                            ]), headers: [("Cache-Control", "no-store")]))
                case .failure(let error):
                    respond(ErrorRenderer.response(for: error))
                }
            }
        } catch let error as OAuthError {
            respond(error.response)
        } catch {
            respond(ErrorRenderer.response(for: error))
        }
    }

    /// The grant's parameters from a JSON object or an `application/x-www-form-urlencoded` body.
    static func form(_ request: HTTPRequest) throws -> [String: String] {
        let contentType = request.headers["Content-Type"]?.lowercased() ?? "application/json"
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            guard let query = QueryParameters(raw: String(decoding: request.body, as: UTF8.self)) else {
                throw OAuthError(status: .badRequest, code: "invalid_request", description: "Malformed form body")
            }
            var form: [String: String] = [:]
            for pair in query.pairs { form[pair.name] = pair.value }
            return form
        }
        guard let object = (try? JSONParser.parse(request.body))?.objectValue else {
            throw OAuthError(status: .badRequest, code: "invalid_request", description: "The body must be a JSON object or a form")
        }
        var form: [String: String] = [:]
        for member in object { if let text = member.value.stringValue { form[member.key] = text } }
        return form
    }
}
