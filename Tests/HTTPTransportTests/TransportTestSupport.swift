import Foundation
import Glibc
import HTTP
import Synchronization

@testable import HTTPTransport

/// A response as read off the wire by `TestClient`.
struct WireResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking TCP client with a receive timeout, so a broken server fails a test instead of hanging it.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestClientError.connect(errno) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw TestClientError.connect(code)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Reads more bytes; false on EOF, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    /// The next complete response, or nil if the connection ended (or timed out) first. A response to
    /// HEAD has no content whatever its Content-Length says.
    func readResponse(toHead: Bool = false) -> WireResponse? {
        while true {
            if let end = headEnd() {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
                let headers = lines.compactMap { line -> (String, String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (
                        String(line[..<colon]),
                        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    )
                }
                let declared = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
                let length = toHead ? 0 : declared
                while buffer.count < end + 4 + length {
                    guard fill() else { return nil }
                }
                let body = Array(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                return WireResponse(status: status, headers: headers, body: body)
            }
            guard fill() else { return nil }
        }
    }

    /// True when the server closed the connection cleanly (EOF) with nothing more to read.
    func readsEOF() -> Bool {
        guard buffer.isEmpty else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }

    private func headEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

enum TestClientError: Error {
    case connect(Int32)
}

/// Answers at once with the path as the body, echoes `/echo`, and holds `/defer...` requests until
/// the test answers them.
final class TestHandler: HTTPHandler {
    private let state = Mutex<(seen: [String], held: [(path: String, respond: @Sendable (HTTPResponse) -> Void)])>(
        ([], []))

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let path = request.path
        let holds = path.hasPrefix("/defer")
        state.withLock { state in
            state.seen.append(path)
            if holds { state.held.append((path, respond)) }
        }
        if holds { return }
        if path == "/echo" {
            respond(HTTPResponse(status: .ok, body: request.body))
        } else if path == "/big" {
            respond(HTTPResponse(status: .ok, body: (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0) }))
        } else {
            respond(HTTPResponse(status: .ok, headers: ["X-Path": path], body: Array(path.utf8)))
        }
    }

    /// Refuses `/refuse...` requests from their heads, as the application refuses a bad token.
    func screen(_ head: HTTPRequest) -> HTTPResponse? {
        guard head.path.hasPrefix("/refuse") else { return nil }
        return HTTPResponse(status: .unauthorized, body: Array("refused".utf8))
    }

    var seen: [String] { state.withLock { $0.seen } }

    /// Waits (bounded) until `count` requests are held, then returns their respond callbacks by path.
    func held(count: Int) -> [String: @Sendable (HTTPResponse) -> Void] {
        for _ in 0..<10_000 {
            let held = state.withLock { $0.held }
            if held.count >= count {
                return Dictionary(held.map { ($0.path, $0.respond) }, uniquingKeysWith: { first, _ in first })
            }
            usleep(1000)
        }
        return [:]
    }
}

enum TestServer {
    static func start(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> (HTTPServer, Int, TestHandler) {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.eventLoops = 2
        configuration.logRequests = false
        configure(&configuration)
        let handler = TestHandler()
        let server = HTTPServer(configuration: configuration, handler: handler)
        let port = try server.start()
        return (server, port, handler)
    }

    /// Runs `body` on a new OS thread (not the cooperative pool: `shutdown` blocks).
    static func background(_ body: @escaping @Sendable () -> Void) -> Flag {
        let done = Flag()
        Thread.detachNewThread {
            body()
            done.set()
        }
        return done
    }
}

final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}

/// Polls `condition` for up to ten seconds; the bound only turns a hang into a failure.
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<10_000 {
        if condition() { return true }
        usleep(1000)
    }
    return condition()
}
