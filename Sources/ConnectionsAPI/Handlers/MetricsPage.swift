import ConnectionsStore
import HTTPTransport

/// `GET /metrics`: the Prometheus text exposition format 0.0.4 (API.md "Operations"). Labels
/// hold methods, route templates, statuses and the version only: never a token, an id or a
/// name.
struct MetricsPage {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// What one scrape reports, gathered by the caller.
    struct Figures {
        var http: HTTPMetrics.Snapshot
        var commits: CommitStatistics.Snapshot
        var connections: Int
        var rateLimited: Int
        var version: String
        var residentMemoryBytes: Int?
        var startTimeSeconds: Double?
    }

    private var text = ""

    static func render(_ figures: Figures) -> String {
        var page = MetricsPage()
        page.requests(figures.http)
        page.durations(figures.http)
        page.histogram(
            "connections_api_store_commit_duration_seconds",
            help: "Time from BEGIN to a durable COMMIT of each write transaction (one batch of writes).",
            labels: "", bounds: CommitStatistics.durationBounds, buckets: figures.commits.durationBuckets,
            sum: number(figures.commits.durationSumSeconds))
        page.histogram(
            "connections_api_store_commit_batch_size", help: "Writes committed together in one transaction.",
            labels: "", bounds: CommitStatistics.batchBounds, buckets: figures.commits.batchBuckets,
            sum: String(figures.commits.batchSum))
        page.single(
            "connections_api_connections", type: "gauge", help: "Connections stored.", value: String(figures.connections))
        page.single(
            "connections_api_rate_limited_total", type: "counter", help: "Requests answered 429 by the rate limiter.",
            value: String(figures.rateLimited))
        page.single(
            "connections_api_open_http_connections", type: "gauge", help: "Client TCP connections open now.",
            value: String(figures.http.openConnections))
        page.header("connections_api_build_info", type: "gauge", help: "The running build; always 1.")
        page.sample("connections_api_build_info{version=\"\(escape(figures.version))\"}", "1")
        if let bytes = figures.residentMemoryBytes {
            page.single(
                "process_resident_memory_bytes", type: "gauge", help: "Resident memory size in bytes.",
                value: String(bytes))
        }
        if let start = figures.startTimeSeconds {
            page.single(
                "process_start_time_seconds", type: "gauge", help: "Start time of the process since the Unix epoch.",
                value: number(start))
        }
        return page.text
    }

    private mutating func requests(_ http: HTTPMetrics.Snapshot) {
        header(
            "connections_api_http_requests_total", type: "counter",
            help: "HTTP requests answered, by method, route template and status.")
        let methods = HTTPMetrics.methods.map(\.rawValue) + ["OTHER"]
        let statuses = HTTPMetrics.statuses.map(String.init) + ["other"]
        for route in RouteTemplate.allCases {
            for (method, methodName) in methods.enumerated() {
                for (status, statusName) in statuses.enumerated() {
                    let count = http.requests(method: method, route: route.rawValue, status: status)
                    guard count > 0 else { continue }
                    sample(
                        "connections_api_http_requests_total{method=\"\(methodName)\",route=\"\(route.label)\",status=\"\(statusName)\"}",
                        String(count))
                }
            }
        }
    }

    private mutating func durations(_ http: HTTPMetrics.Snapshot) {
        let name = "connections_api_http_request_duration_seconds"
        header(
            name, type: "histogram",
            help: "Time from a request's arrival to its response, by route template.")
        for route in RouteTemplate.allCases {
            let buckets = http.durationBuckets(route: route.rawValue)
            guard buckets.contains(where: { $0 > 0 }) else { continue }
            let sum = Double(http.durationSumNanos(route: route.rawValue)) / 1_000_000_000
            histogramSamples(
                name, labels: "route=\"\(route.label)\"", bounds: HTTPMetrics.durationBounds, buckets: buckets,
                sum: Self.number(sum))
        }
    }

    private mutating func histogram(
        _ name: String, help: String, labels: String, bounds: [Double], buckets: [UInt64], sum: String
    ) {
        header(name, type: "histogram", help: help)
        histogramSamples(name, labels: labels, bounds: bounds, buckets: buckets, sum: sum)
    }

    /// `_bucket` lines (cumulative, `le` ascending, then `+Inf`), `_sum` and `_count`.
    private mutating func histogramSamples(
        _ name: String, labels: String, bounds: [Double], buckets: [UInt64], sum: String
    ) {
        let prefix = labels.isEmpty ? "" : labels + ","
        var cumulative: UInt64 = 0
        for (index, count) in buckets.enumerated() {
            cumulative += count
            let bound = index < bounds.count ? Self.number(bounds[index]) : "+Inf"
            sample("\(name)_bucket{\(prefix)le=\"\(bound)\"}", String(cumulative))
        }
        let suffix = labels.isEmpty ? "" : "{\(labels)}"
        sample("\(name)_sum\(suffix)", sum)
        sample("\(name)_count\(suffix)", String(cumulative))
    }

    private mutating func single(_ name: String, type: String, help: String, value: String) {
        header(name, type: type, help: help)
        sample(name, value)
    }

    private mutating func header(_ name: String, type: String, help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private mutating func sample(_ series: String, _ value: String) {
        text += series + " " + value + "\n"
    }

    /// A float as the format reads it (Go's ParseFloat): `1`, `0.25`, `1e-05`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Label values escape backslash, quote and newline.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
