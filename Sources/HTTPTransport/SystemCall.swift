import CSystem
import Glibc

/// The POSIX calls the transport makes, wrapped where Swift needs help (sockaddr casts, errno text).
/// This directory is the only place that imports Glibc.
enum SystemCall {
    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// CLOCK_MONOTONIC in nanoseconds: deadlines and durations never jump with the wall clock.
    static func monotonicNanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func wallSeconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &spec)
        return Int(spec.tv_sec)
    }

    /// A write to a peer that has gone away must return EPIPE, not kill the process.
    /// glibc gives memory back to the kernel whenever 128 KiB lie free at the top of a heap,
    /// and serves blocks from 128 KiB up with their own mmap; both thresholds adapt only after
    /// such a block is freed. A list page's response buffer (~78 KB for 50), allocated and
    /// freed per request, kept crossing those lines: list pages ran at 12–19k req/s in some
    /// runs and 21–26k in others. With the thresholds fixed at 8 MiB (trim) and 1 MiB (mmap),
    /// 24–29k in every run, and peak RSS with 10,000 stored unchanged (BENCHMARKS.md).
    static func keepFreedHeapMemory() {
        csystem_set_heap_thresholds(8 << 20, 1 << 20)
    }

    static func ignoreSIGPIPE() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Holding thousands of connections needs more than the usual soft limit of 1024 descriptors.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// A non-blocking listening socket bound to `host:port`; returns it and the bound port.
    static func makeListener(host: String, port: Int) throws -> (fd: Int32, port: Int) {
        guard (0...65535).contains(port) else { throw HTTPServerError("Invalid port \(port): must be 0-65535") }
        let address = host == "localhost" ? "127.0.0.1" : host
        var ipv4 = sockaddr_in()
        var ipv6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, address, &ipv4.sin_addr) == 1 {
            family = AF_INET
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = UInt16(port).bigEndian
        } else if inet_pton(AF_INET6, address, &ipv6.sin6_addr) == 1 {
            family = AF_INET6
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = UInt16(port).bigEndian
        } else {
            throw HTTPServerError("Invalid host \"\(host)\": expected an IPv4 or IPv6 address")
        }
        let fd = csystem_tcp_socket(family)
        guard fd >= 0 else { throw HTTPServerError.system("socket()", errno: errno) }
        var one: Int32 = 1
        // SO_REUSEADDR only lets a restarted server bind past TIME_WAIT; it does not let two live
        // servers share the port (that would be SO_REUSEPORT), so a busy port still fails below.
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32 =
            family == AF_INET
            ? withUnsafePointer(to: &ipv4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            : withUnsafePointer(to: &ipv6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.system("bind()", errno: code, detail: "to \(host):\(port)")
        }
        guard listen(fd, SOMAXCONN) == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.system("listen()", errno: code, detail: "on \(host):\(port)")
        }
        return (fd, try boundPort(fd))
    }

    private static func boundPort(_ fd: Int32) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.system("getsockname()", errno: code)
        }
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    static func closeDescriptor(_ fd: Int32) {
        close(fd)
    }

    /// Responses are written whole, so Nagle would only add latency to every response.
    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Writes all of `bytes` to a blocking descriptor (stderr), retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
