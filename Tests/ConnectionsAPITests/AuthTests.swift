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
}
