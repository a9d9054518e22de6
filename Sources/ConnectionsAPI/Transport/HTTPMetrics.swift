import CSystem
import Glibc

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

    let loops: [LoopMetrics]

    /// One set of slots per event loop (`ServerConfiguration.eventLoops`).
    public init(loops: Int) {
        self.loops = (0..<max(1, loops)).map { _ in LoopMetrics() }
    }

    /// A consistent-enough view for one scrape: every loop's slots summed.
    public func snapshot() -> Snapshot {
        var sums = [UInt64](repeating: 0, count: LoopMetrics.slotCount)
        for loop in loops {
            for slot in 0..<LoopMetrics.slotCount { sums[slot] &+= loop.load(slot) }
        }
        return Snapshot(sums: sums)
    }

    /// The merged slots, read by name.
    public struct Snapshot: Sendable {
        fileprivate let sums: [UInt64]

        /// Requests answered with `status` (`nil`: a status outside `statuses`).
        public func requests(method: Int, route: RouteTemplate, status: Int) -> UInt64 {
            sums[LoopMetrics.requestSlot(method: method, route: route.rawValue, status: status)]
        }

        /// Per-bucket (not cumulative) counts of `route`'s durations, `+Inf` last.
        public func durationBuckets(route: RouteTemplate) -> [UInt64] {
            let base = LoopMetrics.histogramBase(route: route.rawValue)
            return Array(sums[base..<(base + LoopMetrics.bucketCount)])
        }

        public func durationSumNanos(route: RouteTemplate) -> UInt64 {
            sums[LoopMetrics.histogramBase(route: route.rawValue) + LoopMetrics.bucketCount]
        }

        public var openConnections: UInt64 {
            sums[LoopMetrics.openConnectionsSlot]
        }
    }
}

/// The slots of one event loop, in memory of their own (one allocation, never moved).
final class LoopMetrics: @unchecked Sendable {
    // @unchecked: `slots` is written only by the owning loop's thread and read elsewhere only
    // through relaxed atomic loads (`load`); the pointer itself never changes.
    static let methodCount = HTTPMetrics.methods.count + 1
    static let routeCount = RouteTemplate.allCases.count
    static let statusCount = HTTPMetrics.statuses.count + 1
    static let bucketCount = HTTPMetrics.durationBounds.count + 1
    static let requestSlots = methodCount * routeCount * statusCount
    /// Per route: the buckets, then the sum of durations in nanoseconds.
    static let histogramSlots = routeCount * (bucketCount + 1)
    static let openConnectionsSlot = requestSlots + histogramSlots
    static let slotCount = openConnectionsSlot + 1

    private let slots: UnsafeMutablePointer<UInt64>

    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: 0, count: Self.slotCount)
    }

    deinit {
        slots.deallocate()
    }

    static func requestSlot(method: Int, route: Int, status: Int) -> Int {
        (method * routeCount + route) * statusCount + status
    }

    static func histogramBase(route: Int) -> Int {
        requestSlots + route * (bucketCount + 1)
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
    func record(method: HTTPMethod?, route: RouteTemplate, status: Int, nanoseconds: UInt64) {
        let methodIndex = method.map(Self.methodIndex) ?? HTTPMetrics.methods.count
        increment(Self.requestSlot(method: methodIndex, route: route.rawValue, status: Self.statusIndex(status)), by: 1)
        let base = Self.histogramBase(route: route.rawValue)
        var bucket = 0
        let bounds = HTTPMetrics.durationBoundsNanos
        while bucket < bounds.count && nanoseconds > bounds[bucket] { bucket += 1 }
        increment(base + bucket, by: 1)
        increment(base + Self.bucketCount, by: nanoseconds)
    }

    /// Called only on the owning loop's thread.
    func setOpenConnections(_ count: Int) {
        csystem_store_relaxed(slots + Self.openConnectionsSlot, UInt64(max(0, count)))
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
