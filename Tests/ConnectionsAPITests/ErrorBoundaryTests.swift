import ConnectionsService
import ConnectionsStore
import HTTP
import Testing

@testable import ConnectionsAPI

/// One test per family of errors, through the one boundary: what the client gets, status,
/// header fields in order and body byte for byte. The families: Auth0-shaped `APIError`s,
/// the service's domain errors, OAuth-shaped errors of `/oauth/token`, the store's failures
/// in both shapes, and anything else (a plain 500). (The transport's own answers are tested
/// beside it, in HTTPTransportTests.)
@Suite struct ErrorBoundaryTests {
    private func fields(_ headers: HTTPHeaders) -> [String] {
        headers.map { "\($0.name): \($0.value)" }
    }

    private func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    private static let json = "Content-Type: application/json; charset=utf-8"

    @Test func apiErrorsAreAuth0ShapedWithTheirHeaders() async throws {
        let app = try ApplicationHarness()
        let missing = await app.send(.get, "/api/v2/connections", token: nil)
        #expect(missing.status == 401)
        #expect(fields(missing.headers) == [Self.json, "WWW-Authenticate: Bearer"])
        #expect(missing.text == #"{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}"#)

        let array = await app.send(.post, "/api/v2/connections", body: "[]")
        #expect(array.status == 400)
        #expect(fields(array.headers) == [Self.json])
        #expect(
            array.text
                == #"{"statusCode":400,"error":"Bad Request","message":"Invalid request payload JSON format","errorCode":"invalid_body","violations":[{"rule":"schema","severity":"error","path":"","message":"Payload validation error: 'Expected type object but found type array'."}]}"#
        )

        let method = await app.send(.put, "/api/v2/connections")
        #expect(method.status == 405)
        #expect(fields(method.headers) == [Self.json, "Allow: GET, POST"])
        #expect(method.text == #"{"statusCode":405,"error":"Method Not Allowed","message":"Method Not Allowed"}"#)
    }

    @Test func rateLimitHeadersFollowEveryError() async throws {
        let app = try ApplicationHarness(rateLimit: (rate: 0.001, burst: 1), limitAdmin: true)
        let refused = await app.send(.get, "/api/v2/connections", token: "not-a-token")
        #expect(refused.status == 401)
        #expect(fields(refused.headers).prefix(2) == [Self.json, #"WWW-Authenticate: Bearer error="invalid_token""#])
        #expect(refused.headers.contains("x-ratelimit-limit"))
        _ = await app.send(.get, "/api/v2/connections")
        let limited = await app.send(.get, "/api/v2/connections")
        #expect(limited.status == 429)
        #expect(limited.headers.values(for: "Retry-After").count == 1)
        #expect(limited.headers.contains("x-ratelimit-remaining"))
        #expect(limited.errorCode == "too_many_requests")
    }

    @Test func serviceErrorsAnswerAsTheirAPIError() async throws {
        let app = try ApplicationHarness()
        let unknown = await app.send(.get, "/api/v2/connections/con_0123456789abcdef")
        #expect(unknown.status == 404)
        #expect(fields(unknown.headers) == [Self.json])
        #expect(
            unknown.text
                == #"{"statusCode":404,"error":"Not Found","message":"The connection does not exist","errorCode":"inexistent_connection"}"#
        )

        let body = #"{"name":"taken","strategy":"auth0"}"#
        _ = try await app.create(body)
        let conflict = await app.send(.post, "/api/v2/connections", body: body)
        #expect(conflict.status == 409)
        #expect(
            conflict.text
                == #"{"statusCode":409,"error":"Conflict","message":"A connection with the same name already exists","errorCode":"connection_conflict"}"#
        )

        let stale = ErrorBoundary.response(for: ServiceError.preconditionFailed(currentRevision: 3), shape: .auth0)
        #expect(stale.status == .preconditionFailed)
        #expect(
            text(stale)
                == #"{"statusCode":412,"error":"Precondition Failed","message":"The connection has changed: current revision is 3","errorCode":"precondition_failed"}"#
        )
    }

    @Test func oauthErrorsAreOAuthShapedAndNeverCached() async throws {
        let app = try ApplicationHarness()
        let noGrant = await app.send(.post, "/oauth/token", body: "{}", token: nil)
        #expect(noGrant.status == 400)
        #expect(fields(noGrant.headers) == [Self.json, "Cache-Control: no-store"])
        #expect(noGrant.text == #"{"error":"invalid_request","error_description":"Missing required parameter: grant_type"}"#)

        let unknownClient = await app.send(
            .post, "/oauth/token", body: #"{"grant_type":"client_credentials","client_id":"nobody","client_secret":"x"}"#,
            token: nil)
        #expect(unknownClient.status == 401)
        #expect(fields(unknownClient.headers) == [Self.json, "Cache-Control: no-store", #"WWW-Authenticate: Basic realm="oauth""#])
        #expect(unknownClient.text == #"{"error":"access_denied","error_description":"Unauthorized"}"#)
    }

    @Test func storeFailuresTakeTheEndpointsShape() {
        let fault = StoreError.unavailable(StoreFault(path: "x.sqlite", cause: .diskFull, detail: "disk full"))
        let auth0 = ErrorBoundary.response(for: fault, shape: .auth0)
        #expect(auth0.status == .serviceUnavailable)
        #expect(fields(auth0.headers) == [Self.json, "Retry-After: 5"])
        #expect(text(auth0) == #"{"statusCode":503,"error":"Service Unavailable","message":"The store is unavailable"}"#)

        let oauth = ErrorBoundary.response(for: fault, shape: .oauth)
        #expect(oauth.status == .serviceUnavailable)
        #expect(fields(oauth.headers) == [Self.json, "Cache-Control: no-store", "Retry-After: 5"])
        #expect(text(oauth) == #"{"error":"temporarily_unavailable","error_description":"The store is unavailable"}"#)

        let conflict = ErrorBoundary.response(for: StoreError.nameConflict, shape: .oauth)
        #expect(conflict.status == .conflict)
        #expect(
            text(conflict)
                == #"{"statusCode":409,"error":"Conflict","message":"A connection with the same name already exists","errorCode":"connection_conflict"}"#
        )
    }

    @Test func anythingElseIsAPlain500() {
        struct Unexpected: Error {}
        for shape in [ErrorBoundary.Shape.auth0, .oauth] {
            for error: any Error in [Unexpected(), StoreError.idConflict] {
                let response = ErrorBoundary.response(for: error, shape: shape)
                #expect(response.status == .internalServerError)
                #expect(fields(response.headers) == [Self.json])
                #expect(text(response) == #"{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}"#)
            }
        }
    }

    @Test func theBoundaryNamesTheCallerAndTheRouteAndAddsItsHeaders() {
        let boundary = ErrorBoundary(route: .connections, actor: "admin", headers: [("x-ratelimit-limit", "200")])
        let response = boundary.render(.failure(APIError.connectionNotFound))
        #expect(response.actor == "admin")
        #expect(response.route == .connections)
        #expect(fields(response.headers) == [Self.json, "x-ratelimit-limit: 200"])
        let answer = boundary.render(.success(.noContent))
        #expect(answer.status == .noContent)
        #expect(fields(answer.headers) == ["x-ratelimit-limit: 200"])
    }
}
