import ConnectionsStore
import Testing

@testable import ConnectionsAPI
@testable import HTTPTransport

/// The Prometheus page (API.md "Operations"), without a socket.
@Suite struct MetricsTests {
    @Test func thePageIsCumulativeAndLabelsOnlyTemplates() {
        let metrics = RouteTemplate.metrics(loops: 1)
        let route = RouteTemplate.connection.rawValue
        metrics.loops[0].record(method: .get, route: route, status: 404, nanoseconds: 2_000_000)
        metrics.loops[0].record(method: .get, route: route, status: 200, nanoseconds: 20_000_000_000)
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
