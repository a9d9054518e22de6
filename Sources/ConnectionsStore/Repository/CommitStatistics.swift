import Glibc
import Synchronization

/// How long the writer's transactions take and how many writes each carries, for `/metrics`
/// (`connections_api_store_commit_duration_seconds`, `..._batch_size`). Recorded once per
/// committed batch on the writer thread, so a lock costs nothing that matters here.
public final class CommitStatistics: Sendable {
    /// Upper bounds of the duration buckets, in seconds (the last bucket is `+Inf`).
    public static let durationBounds: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// Upper bounds of the batch-size buckets (at most `GroupCommitWriter.maxBatch` per batch).
    public static let batchBounds: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    /// Per-bucket (not cumulative) counts, `+Inf` last, and the sums.
    public struct Snapshot: Sendable {
        public var durationBuckets = [UInt64](repeating: 0, count: CommitStatistics.durationBounds.count + 1)
        public var durationSumSeconds: Double = 0
        public var batchBuckets = [UInt64](repeating: 0, count: CommitStatistics.batchBounds.count + 1)
        public var batchSum: UInt64 = 0

        public init() {}
    }

    private let state = Mutex(Snapshot())

    public var snapshot: Snapshot {
        state.withLock { $0 }
    }

    /// One committed transaction of `writes` jobs that took `seconds` from BEGIN to COMMIT.
    func record(seconds: Double, writes: Int) {
        let durationBucket = Self.bucket(of: seconds, in: Self.durationBounds)
        let batchBucket = Self.bucket(of: Double(writes), in: Self.batchBounds)
        state.withLock { state in
            state.durationBuckets[durationBucket] += 1
            state.durationSumSeconds += seconds
            state.batchBuckets[batchBucket] += 1
            state.batchSum += UInt64(max(0, writes))
        }
    }

    private static func bucket(of value: Double, in bounds: [Double]) -> Int {
        bounds.firstIndex { value <= $0 } ?? bounds.count
    }

    /// Seconds on the monotonic clock, for measuring a transaction.
    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }
}
