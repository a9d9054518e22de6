import ConnectionsStore
import Testing

@testable import ConnectionsAPI

/// The per-loop counters and the Prometheus page (API.md "Operations"), without a socket.
@Suite struct MetricsTests {
    @Test func everyListedStatusHasItsOwnSlot() {
        for (index, code) in HTTPMetrics.statuses.enumerated() {
            #expect(LoopMetrics.statusIndex(code) == index, "status \(code)")
        }
        #expect(LoopMetrics.statusIndex(418) == HTTPMetrics.statuses.count)
    }

    @Test func loopsAreSummedOnScrape() {
        let metrics = HTTPMetrics(loops: 2)
        metrics.loops[0].record(method: .get, route: .connection, status: 200, nanoseconds: 400_000)
        metrics.loops[1].record(method: .get, route: .connection, status: 200, nanoseconds: 3_000_000)
        metrics.loops[1].record(method: HTTPMethod(rawValue: "BREW"), route: .unmatched, status: 501, nanoseconds: 1)
        metrics.loops[0].setOpenConnections(3)
        metrics.loops[1].setOpenConnections(2)
        let snapshot = metrics.snapshot()
        let get = HTTPMetrics.methods.firstIndex(of: .get)!
        #expect(snapshot.requests(method: get, route: .connection, status: LoopMetrics.statusIndex(200)) == 2)
        #expect(
            snapshot.requests(
                method: HTTPMetrics.methods.count, route: .unmatched, status: LoopMetrics.statusIndex(501)) == 1)
        let buckets = snapshot.durationBuckets(route: .connection)
        #expect(buckets[0] == 1)  // ≤ 0.5 ms
        #expect(buckets[HTTPMetrics.durationBounds.firstIndex(of: 0.005)!] == 1)  // 3 ms
        #expect(buckets.reduce(0, +) == 2)
        #expect(snapshot.durationSumNanos(route: .connection) == 3_400_000)
        #expect(snapshot.openConnections == 5)
    }

    @Test func thePageIsCumulativeAndLabelsOnlyTemplates() {
        let metrics = HTTPMetrics(loops: 1)
        metrics.loops[0].record(method: .get, route: .connection, status: 404, nanoseconds: 2_000_000)
        metrics.loops[0].record(method: .get, route: .connection, status: 200, nanoseconds: 20_000_000_000)
        let page = MetricsPage.render(
            .init(
                http: metrics.snapshot(), commits: CommitStatistics.Snapshot(), connections: 7, rateLimited: 2,
                version: "1.2.3-\"x\"", residentMemoryBytes: 4096, startTimeSeconds: 1_700_000_000.5))
        let lines = Set(page.split(separator: "\n").map(String.init))
        #expect(
            lines.contains(
                #"connections_api_http_requests_total{method="GET",route="/api/v2/connections/{id}",status="404"} 1"#))
        #expect(lines.contains(#"connections_api_http_request_duration_seconds_bucket{route="/api/v2/connections/{id}",le="0.001"} 0"#))
        #expect(lines.contains(#"connections_api_http_request_duration_seconds_bucket{route="/api/v2/connections/{id}",le="0.0025"} 1"#))
        #expect(lines.contains(#"connections_api_http_request_duration_seconds_bucket{route="/api/v2/connections/{id}",le="10"} 1"#))
        #expect(lines.contains(#"connections_api_http_request_duration_seconds_bucket{route="/api/v2/connections/{id}",le="+Inf"} 2"#))
        #expect(lines.contains(#"connections_api_http_request_duration_seconds_count{route="/api/v2/connections/{id}"} 2"#))
        #expect(lines.contains("connections_api_connections 7"))
        #expect(lines.contains("connections_api_rate_limited_total 2"))
        #expect(lines.contains(#"connections_api_build_info{version="1.2.3-\"x\""} 1"#))
        #expect(lines.contains("process_start_time_seconds 1700000000.5"))
        #expect(lines.contains("connections_api_store_commit_batch_size_count 0"))
        #expect(page.hasSuffix("\n"))
    }
}
