import ConnectionsService
import ConnectionsStore
import HTTP
import JSON
import Synchronization
import Testing
import Validation

@testable import ConnectionsAPI

/// Drives `Application` without a socket: builds requests, waits for the (possibly
/// deferred) response, decodes the JSON body.
final class ApplicationHarness: Sendable {
    static let adminToken = "admin-test-token"

    let store: ConnectionStore
    let application: Application

    init(
        rateLimit: (rate: Double, burst: Int)? = nil, limitAdmin: Bool = false, legacyEnabledClients: Bool = false,
        store: ConnectionStore? = nil, catalogLoading: CatalogLoading = .now
    ) throws {
        self.store = try store ?? SQLiteStore(path: ":memory:", readers: 1)
        application = try Application(
            store: self.store,
            settings: .init(
                adminTokenHash: TokenHash.sha256(Self.adminToken), rateLimit: rateLimit, limitAdmin: limitAdmin,
                legacyEnabledClients: legacyEnabledClients, catalogLoading: catalogLoading))
    }

    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]

        var json: JSONValue? { try? JSONParser.parse(body) }
        var text: String { String(decoding: body, as: UTF8.self) }
        var message: String? { json?["message"]?.stringValue }
        var errorCode: String? { json?["errorCode"]?.stringValue }
    }

    func send(
        _ method: HTTPMethod, _ target: String, body: String? = nil, token: String? = adminToken,
        headers extra: [(String, String)] = []
    ) async -> Reply {
        let request = Self.request(method, target, body: body, token: token, headers: extra)
        let response = await withCheckedContinuation { (continuation: CheckedContinuation<HTTPResponse, Never>) in
            let once = Mutex(false)
            application.handle(request) { response in
                let first = once.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: response) }
            }
        }
        return Reply(status: response.status.code, headers: response.headers, body: response.body)
    }

    static func request(
        _ method: HTTPMethod, _ target: String, body: String? = nil, token: String? = adminToken, headers extra: [(String, String)] = []
    ) -> HTTPRequest {
        var headers = HTTPHeaders([("Host", "test")])
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { headers.add(name: name, value: value) }
        return HTTPRequest(method: method, target: target, headers: headers, body: Array((body ?? "").utf8))
    }

    /// Creates a connection and returns its id (the test fails when the create does).
    func create(_ body: String) async throws -> String {
        let reply = await send(.post, "/api/v2/connections", body: body)
        #expect(reply.status == 201, "create failed: \(reply.text)")
        return try #require(reply.json?["id"]?.stringValue)
    }
}
