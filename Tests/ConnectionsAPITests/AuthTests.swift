import HTTP
import Testing

@testable import ConnectionsAPI

@Suite struct AuthTests {
    private func token(_ fields: [(String, String)]) throws(APIError) -> String {
        try BearerCredentials.token(in: HTTPHeaders(fields))
    }

    @Test func readsBearerTokensCaseInsensitively() throws {
        #expect(try token([("Authorization", "Bearer abc.def-ghi")]) == "abc.def-ghi")
        #expect(try token([("authorization", "bearer xyz")]) == "xyz")
    }

    @Test func missingHeaderIs401() {
        do {
            _ = try token([])
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .unauthorized)
            #expect(error.message == "Missing authentication")
            #expect(error.headers.contains { $0.0 == "WWW-Authenticate" && $0.1.hasPrefix("Bearer") })
        }
    }

    @Test(arguments: ["Bearer", "Bearer ", "Basic abc", "Bearer a b", "Bearer  a", "bearer a\u{7f}", "Token abc"])
    func malformedHeadersAre400(value: String) {
        do {
            _ = try token([("Authorization", value)])
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.status == .badRequest)
            #expect(error.errorCode == "Bearer")
            #expect(error.message == "Bad HTTP authentication header format")
        }
    }

    @Test func twoAuthorizationHeadersAre400() {
        #expect(throws: APIError.self) { try token([("Authorization", "Bearer a"), ("Authorization", "Bearer a")]) }
    }

    @Test func tokenBucketAllowsBurstThenRefills() {
        let limiter = RateLimiter(policy: .init(rate: 10, burst: 3))
        let start = 1_000_000.0
        let decisions = (0..<4).map { _ in limiter.take(key: "k", now: start) }
        #expect(decisions.map(\.allowed) == [true, true, true, false])
        #expect(decisions[0].remaining == 2 && decisions[2].remaining == 0)
        #expect(decisions[3].retryAfter >= 1)
        #expect(decisions[3].limit == 3)
        // Another key has its own bucket.
        #expect(limiter.take(key: "other", now: start).allowed)
        // 0.1 s later one token is back.
        #expect(limiter.take(key: "k", now: start + 0.1).allowed)
        #expect(!limiter.take(key: "k", now: start + 0.1).allowed)
    }

    // MARK: - /oauth/token client authentication and scopes

    private func credentials(_ authorization: String?, _ form: [String: String]) throws(OAuthError) -> ClientCredentials? {
        var headers = HTTPHeaders([("Host", "test")])
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        return try ClientCredentials.find(in: headers, form: form)
    }

    @Test func basicCredentialsArePercentDecoded() throws {
        // base64("my%3Aclient:s+e%2Bcret") — RFC 6749 §2.3.1 form-encodes both parts.
        let found = try credentials("Basic bXklM0FjbGllbnQ6cytlJTJCY3JldA==", [:])
        #expect(found?.clientID == "my:client" && found?.secret == "s e+cret")
        #expect(try credentials("bAsIc bXklM0FjbGllbnQ6cytlJTJCY3JldA==", ["client_id": "my:client"])?.clientID == "my:client")
    }

    @Test func bodyCredentialsWithoutBasic() throws {
        let found = try credentials("Bearer ignored", ["client_id": "c", "client_secret": "s"])
        #expect(found?.clientID == "c" && found?.secret == "s")
        #expect(try credentials(nil, ["client_id": "c"]) == nil)
        #expect(try credentials(nil, ["client_id": "", "client_secret": "s"]) == nil)
    }

    @Test(arguments: [["client_secret": "s"], ["client_id": "other"], ["client_id": "c", "client_secret": "s"]])
    func basicBesideBodyCredentialsIsRefused(form: [String: String]) {
        do {
            _ = try credentials("Basic Yzpz", form)  // base64("c:s")
            Issue.record("two authentication methods were accepted")
        } catch {
            #expect(error.description == "Only one client authentication method may be used")
        }
    }

    @Test(arguments: ["Basic !!!", "Basic bm8tY29sb24=", "Basic JTpz"])
    func malformedBasicIsAnInvalidRequest(header: String) {
        do {
            _ = try credentials(header, [:])
            Issue.record("accepted \(header)")
        } catch {
            #expect(error.status == .badRequest && error.code == "invalid_request")
        }
    }

    @Test func requestedScopesMustAllBeGranted() throws {
        let granted = ["read:connections", "update:prompts"]
        #expect(try OAuthTokenHandler.scopes(requested: nil, granted: granted) == granted)
        #expect(try OAuthTokenHandler.scopes(requested: "  ", granted: granted) == granted)
        #expect(try OAuthTokenHandler.scopes(requested: "update:prompts read:connections", granted: granted) == granted)
        #expect(try OAuthTokenHandler.scopes(requested: "update:prompts update:prompts", granted: granted) == ["update:prompts"])
        do {
            _ = try OAuthTokenHandler.scopes(requested: "x:y read:connections delete:connections x:y", granted: granted)
            Issue.record("a scope that was not granted was accepted")
        } catch {
            #expect(error.status == .forbidden && error.code == "access_denied")
            #expect(error.description == "Client has not been granted scopes: x:y delete:connections")
        }
    }

    @Test func audienceMatchesWithOrWithoutATrailingSlash() {
        let audience = TokenAudience(configured: nil)
        #expect(!audience.matches("http://127.0.0.1:8080/api/v2/"), "no audience before the port is known")
        audience.useDefault("http://127.0.0.1:8080/api/v2/")
        #expect(audience.matches("http://127.0.0.1:8080/api/v2/") && audience.matches("http://127.0.0.1:8080/api/v2"))
        #expect(!audience.matches("http://127.0.0.1:8080/api/v2//") && !audience.matches("http://127.0.0.1:8081/api/v2/"))
        let configured = TokenAudience(configured: "https://example.com/api/v2")
        configured.useDefault("http://127.0.0.1:8080/api/v2/")
        #expect(configured.matches("https://example.com/api/v2/") && !configured.matches("http://127.0.0.1:8080/api/v2/"))
    }
}
