import HTTP
import Testing

@testable import HTTPTransport

/// The per-loop counters (API.md "Operations"), without a socket. Routes are numbers here: the
/// application names them (`RouteTemplate` in ConnectionsAPI).
@Suite struct MetricsTests {
    /// Three routes: 0 (none), 1 and 2; only `/two` is route 2.
    private func makeMetrics(loops: Int) -> HTTPMetrics {
        HTTPMetrics(loops: loops, routes: 3) { $0 == "/two" ? 2 : 0 }
    }

    @Test func everyListedStatusHasItsOwnSlot() {
        for (index, code) in HTTPMetrics.statuses.enumerated() {
            #expect(LoopMetrics.statusIndex(code) == index, "status \(code)")
        }
        #expect(LoopMetrics.statusIndex(418) == HTTPMetrics.statuses.count)
    }

    @Test func loopsAreSummedOnScrape() {
        let metrics = makeMetrics(loops: 2)
        metrics.loops[0].record(method: .get, route: 2, status: 200, nanoseconds: 400_000)
        metrics.loops[1].record(method: .get, route: 2, status: 200, nanoseconds: 3_000_000)
        metrics.loops[1].record(method: HTTPMethod(rawValue: "BREW"), route: 0, status: 501, nanoseconds: 1)
        metrics.loops[0].setOpenConnections(3)
        metrics.loops[1].setOpenConnections(2)
        let snapshot = metrics.snapshot()
        let get = HTTPMetrics.methods.firstIndex(of: .get)!
        #expect(snapshot.requests(method: get, route: 2, status: LoopMetrics.statusIndex(200)) == 2)
        #expect(snapshot.requests(method: get, route: 1, status: LoopMetrics.statusIndex(200)) == 0)
        #expect(snapshot.requests(method: HTTPMetrics.methods.count, route: 0, status: LoopMetrics.statusIndex(501)) == 1)
        let buckets = snapshot.durationBuckets(route: 2)
        #expect(buckets[0] == 1)  // ≤ 0.5 ms
        #expect(buckets[HTTPMetrics.durationBounds.firstIndex(of: 0.005)!] == 1)  // 3 ms
        #expect(buckets.reduce(0, +) == 2)
        #expect(snapshot.durationSumNanos(route: 2) == 3_400_000)
        #expect(snapshot.openConnections == 5)
    }

    /// The slots are raw memory: a number the application did not declare is counted as no route.
    @Test func anUndeclaredRouteCountsAsNone() {
        let metrics = makeMetrics(loops: 1)
        metrics.loops[0].record(method: .get, route: 3, status: 200, nanoseconds: 1)
        metrics.loops[0].record(method: .get, route: -1, status: 200, nanoseconds: 1)
        let get = HTTPMetrics.methods.firstIndex(of: .get)!
        #expect(metrics.snapshot().requests(method: get, route: 0, status: LoopMetrics.statusIndex(200)) == 2)
    }

    /// A request the transport refuses itself never reaches the application: its path is
    /// numbered by the `routeOfPath` the application gave.
    @Test func aRefusedRequestIsCountedUnderItsPathsRoute() throws {
        let metrics = makeMetrics(loops: 1)
        let (server, port, _) = try TestServer.start { $0.metrics = metrics }
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("GET /two HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy")
        #expect(try #require(client.readResponse()).status == 400)
        let get = HTTPMetrics.methods.firstIndex(of: .get)!
        #expect(metrics.snapshot().requests(method: get, route: 2, status: LoopMetrics.statusIndex(400)) == 1)
    }
}
