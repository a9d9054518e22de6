import ConnectionsStore
import HTTP
import HTTPTransport
import JSON

/// `POST /oauth/token`, the client-credentials grant (RFC 6749 §4.4) for machine clients
/// registered with `connections-api clients create`, answering as Auth0's token endpoint
/// does (API.md): errors in the OAuth 2.0 shape (`OAuthError`), checked in the order grant
/// type, client, audience, scope. Errors are thrown, or completed with, to the boundary
/// (`Application`), which renders them.
struct OAuthTokenHandler: Sendable {
    let store: ConnectionStore
    /// Clients are looked up here, not in SQLite on the event loop, and new tokens are added
    /// once their insert has committed.
    let table: CredentialTable
    let tokenLifetimeSeconds: Int
    let audience: TokenAudience

    /// The parameters read from the body; each must be a string when present.
    private static let parameters: Set<String> = ["grant_type", "client_id", "client_secret", "audience", "scope"]

    func issue(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, any Error>) -> Void) throws {
        let form = try Self.form(request)
        guard let grantType = form["grant_type"], !grantType.isEmpty else { throw OAuthError.missingGrantType }
        guard grantType == "client_credentials" else { throw OAuthError.unsupportedGrantType(grantType) }
        let credentials = try ClientCredentials.find(in: request.headers, form: form)
        let client = credentials.flatMap { credentials in table.client(id: credentials.clientID) }
        // Hash the offered secret even for an unknown client, so timing does not tell
        // which client ids exist.
        let offered = TokenHash.sha256(credentials?.secret ?? "")
        guard let client, !client.isRevoked, TokenHash.equal(offered, client.secretHash) else { throw OAuthError.unauthorized }
        // A missing audience means this API, as on a tenant with a default audience.
        if let requested = form["audience"], !requested.isEmpty, !audience.matches(requested) {
            throw OAuthError.audienceNotEnabled(requested)
        }
        let scopes = try Self.scopes(requested: form["scope"], granted: client.scopes)
        issueToken(clientID: client.clientID, scopes: scopes, completion: completion)
    }

    private func issueToken(
        clientID: String, scopes: [String], completion: @escaping @Sendable (Result<HTTPResponse, any Error>) -> Void
    ) {
        let token = TokenHash.randomToken()
        let lifetime = tokenLifetimeSeconds
        let expiresAt = WallClock.seconds() + Int64(lifetime)
        let digest = TokenHash.sha256(token)
        let table = table
        store.write { transaction in
            try transaction.insertToken(hash: digest, clientID: clientID, scopes: scopes, expiresAt: expiresAt)
        } completion: { result in
            completion(
                result.map {
                    table.add(digest: digest, clientID: clientID, scopes: scopes, expiresAt: expiresAt)
                    return .json(
                        .ok,
                        .object([
                            "access_token": .string(token),
                            "token_type": .string("Bearer"),
                            "expires_in": .int(lifetime),
                            "scope": .string(scopes.joined(separator: " ")),
                        ]), headers: [("Cache-Control", "no-store")])
                })
        }
    }

    /// The token's scopes: every granted one without `scope`; otherwise those named (RFC 6749
    /// §3.3, space-separated), all of which must be granted. Auth0 refuses the request rather
    /// than narrowing it silently, naming what is missing in the order asked.
    static func scopes(requested: String?, granted: [String]) throws(OAuthError) -> [String] {
        var names: [String] = []
        for part in (requested ?? "").split(separator: " ") where !names.contains(String(part)) {
            names.append(String(part))
        }
        guard !names.isEmpty else { return granted }
        let missing = names.filter { !granted.contains($0) }
        guard missing.isEmpty else { throw OAuthError.scopesNotGranted(missing) }
        return granted.filter { names.contains($0) }
    }

    /// The grant's parameters from a JSON object or an `application/x-www-form-urlencoded`
    /// body; an empty body has none.
    static func form(_ request: HTTPRequest) throws(OAuthError) -> [String: String] {
        if request.body.isEmpty { return [:] }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? "application/json"
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            guard let query = QueryParameters(raw: String(decoding: request.body, as: UTF8.self)) else {
                throw OAuthError(status: .badRequest, code: "invalid_request", description: "Malformed form body")
            }
            var form: [String: String] = [:]
            for pair in query.pairs { form[pair.name] = pair.value }
            return form
        }
        guard let object = (try? JSONParser.parse(request.body, maxContainers: JSONParser.requestMaxContainers))?.objectValue else {
            throw OAuthError(status: .badRequest, code: "invalid_request", description: "The body must be a JSON object or a form")
        }
        var form: [String: String] = [:]
        for member in object where parameters.contains(member.key) && !member.value.isNull {
            guard let text = member.value.stringValue else {
                throw OAuthError(
                    status: .badRequest, code: "invalid_request", description: "Invalid parameter: \(member.key) must be a string")
            }
            form[member.key] = text
        }
        return form
    }
}
