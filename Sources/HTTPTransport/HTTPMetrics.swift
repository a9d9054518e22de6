import CSystem
import Glibc
import HTTP

/// Request counts, latency histograms and open connections, kept per event loop and merged
/// when `/metrics` is scraped (API.md "Operations"). Recording a request is a handful of plain
/// loads and stores into the loop's own slots: no lock and no shared cache line on the request
/// path. Each slot has one writer (its loop); the scrape reads with relaxed atomic loads, so a
/// count may be one request behind, never torn.
public final class HTTPMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds (the last bucket is `+Inf`).
    public static let durationBounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    static let durationBoundsNanos: [UInt64] = durationBounds.map { UInt64($0 * 1_000_000_000) }

    /// Methods counted by name; any other is `OTHER`.
    public static let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options]
    /// Statuses this service answers with; any other is counted as `other` (none are expected).
    public static let statuses: [Int] = [
        200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 408, 409, 412, 413, 414, 415, 429, 431, 500, 501, 503, 505,
    ]

    /// The number of routes requests are counted by (`HTTPResponse.metricsRoute`, 0 for none).
    public let routes: Int
    /// The route of a path, for requests the transport answers itself (a framing error, a
    /// timeout), which never reach the application.
    let routeOfPath: @Sendable (String) -> Int
    let loops: [LoopMetrics]

    /// One set of slots per event loop (`ServerConfiguration.eventLoops`). Routes are the
    /// application's, numbered `0..<routes` with 0 for no route; `routeOfPath` numbers the path of
    /// a request the transport refuses itself. A number outside the range counts as 0.
    public init(loops: Int, routes: Int, routeOfPath: @escaping @Sendable (String) -> Int) {
        let layout = SlotLayout(routes: max(1, routes))
        self.routes = layout.routes
        self.routeOfPath = routeOfPath
        self.loops = (0..<max(1, loops)).map { _ in LoopMetrics(layout: layout) }
    }

    /// A consistent-enough view for one scrape: every loop's slots summed.
    public func snapshot() -> Snapshot {
        let layout = SlotLayout(routes: routes)
        var sums = [UInt64](repeating: 0, count: layout.slotCount)
        for loop in loops {
            for slot in 0..<layout.slotCount { sums[slot] &+= loop.load(slot) }
        }
        return Snapshot(layout: layout, sums: sums)
    }

    /// The merged slots, read by name.
    public struct Snapshot: Sendable {
        fileprivate let layout: SlotLayout
        fileprivate let sums: [UInt64]

        /// Requests answered with `status` (`nil`: a status outside `statuses`).
        public func requests(method: Int, route: Int, status: Int) -> UInt64 {
            sums[layout.requestSlot(method: method, route: route, status: status)]
        }

        /// Per-bucket (not cumulative) counts of `route`'s durations, `+Inf` last.
        public func durationBuckets(route: Int) -> [UInt64] {
            let base = layout.histogramBase(route: route)
            return Array(sums[base..<(base + SlotLayout.bucketCount)])
        }

        public func durationSumNanos(route: Int) -> UInt64 {
            sums[layout.histogramBase(route: route) + SlotLayout.bucketCount]
        }

        public var openConnections: UInt64 {
            sums[layout.openConnectionsSlot]
        }
    }
}

/// Where each count lives among a loop's slots: requests by method, route and status; per route
/// the duration buckets and their sum; then the open connections.
struct SlotLayout: Sendable {
    static let methodCount = HTTPMetrics.methods.count + 1
    static let statusCount = HTTPMetrics.statuses.count + 1
    static let bucketCount = HTTPMetrics.durationBounds.count + 1

    let routes: Int

    var requestSlots: Int { Self.methodCount * routes * Self.statusCount }
    /// Per route: the buckets, then the sum of durations in nanoseconds.
    var histogramSlots: Int { routes * (Self.bucketCount + 1) }
    var openConnectionsSlot: Int { requestSlots + histogramSlots }
    var slotCount: Int { openConnectionsSlot + 1 }

    func requestSlot(method: Int, route: Int, status: Int) -> Int {
        (method * routes + route) * Self.statusCount + status
    }

    func histogramBase(route: Int) -> Int {
        requestSlots + route * (Self.bucketCount + 1)
    }
}

/// The slots of one event loop, in memory of their own (one allocation, never moved).
final class LoopMetrics: @unchecked Sendable {
    // @unchecked: `slots` is written only by the owning loop's thread and read elsewhere only
    // through relaxed atomic loads (`load`); the pointer itself never changes.
    private let layout: SlotLayout
    private let slots: UnsafeMutablePointer<UInt64>

    init(layout: SlotLayout) {
        self.layout = layout
        slots = .allocate(capacity: layout.slotCount)
        slots.initialize(repeating: 0, count: layout.slotCount)
    }

    deinit {
        slots.deallocate()
    }

    /// The index of `method` in `HTTPMetrics.methods`, or the last (`OTHER`).
    static func methodIndex(_ method: HTTPMethod) -> Int {
        HTTPMetrics.methods.firstIndex(of: method) ?? HTTPMetrics.methods.count
    }

    /// The index of `code` in `HTTPMetrics.statuses`, or the last (`other`).
    static func statusIndex(_ code: Int) -> Int {
        switch code {
        case 200: return 0
        case 201: return 1
        case 202: return 2
        case 204: return 3
        case 304: return 4
        case 400: return 5
        case 401: return 6
        case 403: return 7
        case 404: return 8
        case 405: return 9
        case 408: return 10
        case 409: return 11
        case 412: return 12
        case 413: return 13
        case 414: return 14
        case 415: return 15
        case 429: return 16
        case 431: return 17
        case 500: return 18
        case 501: return 19
        case 503: return 20
        case 505: return 21
        default: return HTTPMetrics.statuses.count
        }
    }

    /// One answered request. Called only on the owning loop's thread.
    func record(method: HTTPMethod?, route: Int, status: Int, nanoseconds: UInt64) {
        let methodIndex = method.map(Self.methodIndex) ?? HTTPMetrics.methods.count
        // The application's number, checked: the slots are raw memory.
        let route = (0..<layout.routes).contains(route) ? route : 0
        increment(layout.requestSlot(method: methodIndex, route: route, status: Self.statusIndex(status)), by: 1)
        let base = layout.histogramBase(route: route)
        var bucket = 0
        let bounds = HTTPMetrics.durationBoundsNanos
        while bucket < bounds.count && nanoseconds > bounds[bucket] { bucket += 1 }
        increment(base + bucket, by: 1)
        increment(base + SlotLayout.bucketCount, by: nanoseconds)
    }

    /// Called only on the owning loop's thread.
    func setOpenConnections(_ count: Int) {
        csystem_store_relaxed(slots + layout.openConnectionsSlot, UInt64(max(0, count)))
    }

    func load(_ slot: Int) -> UInt64 {
        csystem_load_relaxed(slots + slot)
    }

    /// Single writer: a load and a store, not a locked read-modify-write.
    private func increment(_ slot: Int, by amount: UInt64) {
        let pointer = slots + slot
        csystem_store_relaxed(pointer, csystem_load_relaxed(pointer) &+ amount)
    }
}
