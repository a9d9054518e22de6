import ConnectionsService
import ConnectionsStore
import Dispatch
import HTTP
import JSON
import Synchronization
import Testing
import Validation

@testable import ConnectionsAPI

/// Requests that arrive while `serve` is still loading the stored connections (issue 9): a GET
/// by id is answered from the store; everything that needs the whole catalog (writes, lists,
/// lookups by name, `/healthz`) waits for it and is then answered as if it came after.
@Suite struct StartupLoadingTests {
    /// A response that may come later, from another thread.
    final class Pending: Sendable {
        private let response = Mutex<HTTPResponse?>(nil)
        private let arrived = DispatchSemaphore(value: 0)

        var answered: Bool { response.withLock { $0 != nil } }

        func respond(_ value: HTTPResponse) {
            let first = response.withLock { stored in
                defer { if stored == nil { stored = value } }
                return stored == nil
            }
            if first { arrived.signal() }
        }

        func wait() -> (status: Int, json: JSONValue?) {
            arrived.wait()
            let value = response.withLock { $0 }
            return (value?.status.code ?? 0, value.flatMap { try? JSONParser.parse($0.body) })
        }
    }

    /// The load `serve` would start on a thread, kept until `run()`.
    final class Load: Sendable {
        private let work = Mutex<(@Sendable () -> Void)?>(nil)
        var loading: CatalogLoading { .background { [self] body in work.withLock { $0 = body } } }

        func run() throws {
            let body = try #require(work.withLock { $0 })
            body()
        }
    }

    private static func connection(_ name: String) -> String {
        #"{"name":"\#(name)","strategy":"auth0","enabled_clients":["c1"]}"#
    }

    @Test func requestsDuringTheLoadSeeEveryStoredConnection() async throws {
        // Stored by a server that has since stopped: the next one loads them.
        let first = try ApplicationHarness()
        var ids: [String] = []
        for name in ["alpha", "beta", "gamma"] { ids.append(try await first.create(Self.connection(name))) }
        let stored = await first.send(.get, "/api/v2/connections/\(ids[2])")

        let load = Load()
        let app = try ApplicationHarness(store: first.store, catalogLoading: load.loading)

        // Read from the store, before anything is loaded.
        let early = await app.send(.get, "/api/v2/connections/\(ids[2])")
        #expect(early.status == 200)
        #expect(early.body == stored.body)
        #expect(early.headers["ETag"] == stored.headers["ETag"])
        #expect(await app.send(.get, "/api/v2/connections/con_AAAAAAAAAAAAAAAA").status == 404)

        // These wait for the whole catalog.
        let requests: [(HTTPMethod, String, String?)] = [
            (.patch, "/api/v2/connections/\(ids[0])", #"{"display_name":"Alpha"}"#),
            (.post, "/api/v2/connections?dry_run=true", Self.connection("beta")),
            (.post, "/api/v2/connections", Self.connection("beta")),
            (.get, "/api/v2/connections?include_totals=true", nil),
            (.get, "/api/v2/connections?name=gamma", nil),
            (.get, "/api/v2/connections/\(ids[1])?fields=name", nil),
            (.get, "/healthz", nil),
        ]
        let pending = requests.map { method, target, body in
            let reply = Pending()
            app.application.handle(ApplicationHarness.request(method, target, body: body)) { reply.respond($0) }
            return reply
        }
        #expect(pending.allSatisfy { !$0.answered }, "nothing that needs the catalog is answered before it is loaded")

        try load.run()
        let replies = pending.map { $0.wait() }
        // The PATCH found the stored connection (an empty catalog would have said 404).
        #expect(replies[0].status == 200)
        #expect(replies[0].json?["display_name"] == .string("Alpha"))
        // Judged against every stored connection: the name is taken, dry run or not.
        #expect(replies[1].status == 409)
        #expect(replies[2].status == 409)
        #expect(replies[3].json?["total"] == .int(3))
        #expect(replies[4].json?.arrayValue?.compactMap { $0["id"]?.stringValue } == [ids[2]])
        #expect(replies[5].json?["name"] == .string("beta"))
        #expect(replies[6].status == 200)
    }

    @Test func aLoadThatFailsAnswersTheWaitingRequests503() async throws {
        let first = try ApplicationHarness()
        _ = try await first.create(Self.connection("alpha"))
        try first.store.writeAndWait { transaction in
            try transaction.insertConnection(
                .init(id: "con_BROKENBROKENBROK", name: "broken", strategy: "auth0", body: "[]"),
                stamp: RevisionStamp(createdAt: 0, operation: "create", actorClientID: nil), keep: 100)
        }
        let load = Load()
        let app = try ApplicationHarness(store: first.store, catalogLoading: load.loading)
        let list = Pending()
        app.application.handle(ApplicationHarness.request(.get, "/api/v2/connections", body: nil)) { list.respond($0) }
        #expect(!list.answered)
        try load.run()
        #expect(list.wait().status == 503)
        #expect(throws: Application.StartupError.self) { try app.application.waitUntilLoaded() }
    }
}
