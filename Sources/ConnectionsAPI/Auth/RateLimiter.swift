import HTTPTransport
import Synchronization

/// A token bucket per token (API.md "Rate limits"): `rate` tokens a second up to `burst`.
final class RateLimiter: Sendable {
    struct Policy: Sendable, Equatable {
        var rate: Double
        var burst: Int

        /// API.md default: 100 requests/s with bursts of 200.
        static let standard = Policy(rate: 100, burst: 200)

        /// Parses `RATE/BURST` (e.g. `100/200`).
        init?(_ text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let rate = Double(parts[0]), rate > 0, let burst = Int(parts[1]), burst >= 1 else { return nil }
            self.init(rate: rate, burst: burst)
        }

        init(rate: Double, burst: Int) {
            self.rate = rate
            self.burst = burst
        }
    }

    /// The outcome of one request, and the `x-ratelimit-*` headers that describe it.
    struct Decision: Sendable {
        let allowed: Bool
        let limit: Int
        let remaining: Int
        /// Unix seconds at which the bucket is full again.
        let reset: Int
        /// Whole seconds until one request is allowed again (for `Retry-After`).
        let retryAfter: Int

        let headers: [(String, String)]

        init(allowed: Bool, limit: Int, remaining: Int, reset: Int, retryAfter: Int) {
            self.allowed = allowed
            self.limit = limit
            self.remaining = remaining
            self.reset = reset
            self.retryAfter = retryAfter
            headers = [
                ("x-ratelimit-limit", String(limit)), ("x-ratelimit-remaining", String(remaining)),
                ("x-ratelimit-reset", String(reset)),
            ]
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let policy: Policy
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Buckets untouched this long are full again and can be forgotten.
    private let idleSeconds: Double

    init(policy: Policy) {
        self.policy = policy
        self.idleSeconds = Double(policy.burst) / policy.rate + 1
    }

    /// Takes one token for `key` at `now` (Unix seconds).
    func take(key: String, now: Double = WallClock.now()) -> Decision {
        let policy = self.policy
        return buckets.withLock { buckets in
            if buckets.count > 10_000 { buckets = buckets.filter { now - $0.value.updated < idleSeconds } }
            var bucket = buckets[key] ?? Bucket(tokens: Double(policy.burst), updated: now)
            bucket.tokens = min(Double(policy.burst), bucket.tokens + (now - bucket.updated) * policy.rate)
            bucket.updated = now
            // A hair of tolerance: refills computed from float timestamps land a few ulps short.
            let allowed = bucket.tokens >= 1 - 1e-9
            if allowed { bucket.tokens = max(0, bucket.tokens - 1) }
            buckets[key] = bucket
            let missing = Double(policy.burst) - bucket.tokens
            return Decision(
                allowed: allowed, limit: policy.burst, remaining: Int(bucket.tokens.rounded(.down)),
                reset: Int((now + missing / policy.rate).rounded(.up)),
                retryAfter: allowed ? 0 : max(1, Int(((1 - bucket.tokens) / policy.rate).rounded(.up))))
        }
    }

    /// Headers for a caller that is not limited (the exempt admin token, or before auth).
    /// They only change once a second, so they are rendered once a second.
    func unlimitedDecision(now: Double = WallClock.now()) -> Decision {
        let second = Int(now.rounded(.up))
        return unlimited.withLock { cached in
            if let decision = cached, decision.reset == second { return decision }
            let decision = Decision(allowed: true, limit: policy.burst, remaining: policy.burst, reset: second, retryAfter: 0)
            cached = decision
            return decision
        }
    }

    private let unlimited = Mutex<Decision?>(nil)
}
