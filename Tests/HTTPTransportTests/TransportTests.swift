import Foundation
import Glibc
import HTTP
import JSON
import Testing

@testable import HTTPTransport

@Suite("Transport over real sockets")
struct TransportTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        for path in ["/one", "/two", "/three"] {
            client.send("GET \(path)?q=1 HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.text == path)
            #expect(response.header("Connection") == nil)
            #expect(response.header("Date") != nil)
            #expect(response.header("X-Path") == path)
        }
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let persistent = try TestClient(port: port)
        persistent.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try #require(persistent.readResponse()).header("Connection") == "keep-alive")
        persistent.send("GET /b HTTP/1.0\r\n\r\n")
        let last = try #require(persistent.readResponse())
        #expect(last.text == "/b")
        #expect(last.header("Connection") == "close")
        #expect(persistent.readsEOF())
    }

    @Test func headResponseKeepsLengthWithoutBody() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("HEAD /abc HTTP/1.1\r\nHost: t\r\n\r\nGET /next HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try #require(client.readResponse(toHead: true))
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "4")
        // Had the HEAD response carried its body, "/abc" would sit where the next status line should be.
        let next = try #require(client.readResponse())
        #expect(next.status == 200)
        #expect(next.text == "/next")
    }

    @Test func pipelinedResponsesStayInOrderBehindADeferredOne() throws {
        let (server, port, handler) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send(
            "GET /defer/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /fast/2 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "GET /defer/3 HTTP/1.1\r\nHost: t\r\n\r\nGET /fast/4 HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = try #require(handler.held(count: 1)["/defer/1"])
        // The loop is not blocked by the held request: another connection is served meanwhile.
        let other = try TestClient(port: port)
        other.send("GET /other HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(other.readResponse()).text == "/other")
        // One request at a time per connection: nothing after /defer/1 reached the handler yet.
        #expect(!handler.seen.contains("/fast/2"))

        // Answered from a thread that is not the loop's, i.e. through the mailbox.
        let done = TestServer.background { first(HTTPResponse(status: .created, body: Array("one".utf8))) }
        #expect(eventually { done.isSet })
        let third = try #require(handler.held(count: 2)["/defer/3"])
        third(HTTPResponse(status: .accepted, body: Array("three".utf8)))

        let responses = (0..<4).compactMap { _ in client.readResponse() }
        #expect(responses.map(\.status) == [201, 200, 202, 200])
        #expect(responses.map(\.text) == ["one", "/fast/2", "three", "/fast/4"])
        #expect(handler.seen.filter { $0 != "/other" } == ["/defer/1", "/fast/2", "/defer/3", "/fast/4"])
    }

    @Test func expectContinueGetsAnInterimResponse() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        let interim = try #require(client.readResponse())
        #expect(interim.status == 100)
        client.send("hello")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.text == "hello")
    }

    /// API.md "CPU budget": a request refused from its head is answered before its body is sent,
    /// and the connection closes, since the unread body leaves nothing after it to frame.
    @Test func headRefusedBeforeItsBodyIsSent() throws {
        let (server, port, handler) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("POST /refuse HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n{")
        let response = try #require(client.readResponse())
        #expect(response.status == 401 && response.text == "refused")
        #expect(response.header("Connection") == "close")
        #expect(client.readsEOF())
        #expect(!handler.seen.contains("/refuse"))
        // Nothing refused gets a 100 Continue first.
        let expecting = try TestClient(port: port)
        expecting.send("POST /refuse HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        #expect(try #require(expecting.readResponse()).status == 401)
        #expect(expecting.readsEOF())
    }

    @Test func headRefusedWhileItsBodyArrivesAndTheServerGoesOn() throws {
        let (server, port, handler) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        let body = [UInt8](repeating: UInt8(ascii: " "), count: 1_048_576)
        // More than the socket buffers hold: the send completes because the server, having
        // answered, drains and discards the rest (or fails once the server gives up on it).
        client.send(Array("POST /refuse HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n".utf8) + body)
        let response = try #require(client.readResponse())
        #expect(response.status == 401)
        #expect(response.header("Connection") == "close")
        #expect(!handler.seen.contains("/refuse"))
        // A request that is not refused still has its whole body read.
        let other = try TestClient(port: port)
        other.send(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n".utf8) + body)
        #expect(try #require(other.readResponse()).body == body)
    }

    @Test func largeBodiesBothWays() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        let body = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        client.send(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n".utf8) + body)
        #expect(try #require(client.readResponse()).body == body)
        // 4 MB does not fit the socket buffer: the rest goes out on EPOLLOUT.
        client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        let big = try #require(client.readResponse())
        #expect(big.body.count == 4_000_000)
        #expect(big.body == (0..<4_000_000).map { UInt8(truncatingIfNeeded: $0) })
    }

    @Test func oversizedBodyIs413AndCloses() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\n\r\nxxxx")
        let response = try #require(client.readResponse())
        #expect(response.status == 413)
        #expect(
            response.text
                == #"{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 1048576"}"#
        )
        #expect(response.header("Connection") == "close")
    }

    @Test func malformedRequestGets400AndCloseAndTheServerGoesOn() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy")
        let response = try #require(client.readResponse())
        #expect(response.status == 400)
        #expect(response.header("Connection") == "close")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let json = try JSONParser.parse(response.body)
        #expect(json["statusCode"] == .int(400))
        #expect(json["error"] == .string("Bad Request"))
        #expect(json["message"]?.stringValue?.isEmpty == false)
        #expect(client.readsEOF())

        let next = try TestClient(port: port)
        next.send("GET /still HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(next.readResponse()).text == "/still")
    }

    @Test func unsupportedVersionIs505() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("GET / HTTP/2.0\r\nHost: t\r\n\r\n")
        #expect(try #require(client.readResponse()).status == 505)
        #expect(client.readsEOF())
    }

    @Test func headDeadlineAnswers408ToAPartialRequest() throws {
        let (server, port, _) = try TestServer.start { $0.headDeadline = .milliseconds(200) }
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHo")
        let response = try #require(client.readResponse())
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(client.readsEOF())
    }

    @Test func silentClientIsClosedWithoutAResponse() throws {
        let (server, port, _) = try TestServer.start { $0.headDeadline = .milliseconds(200) }
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        #expect(client.readsEOF())
    }

    @Test func bodyDeadlineAnswers408() throws {
        let (server, port, _) = try TestServer.start { $0.bodyDeadline = .milliseconds(200) }
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        #expect(try #require(client.readResponse()).status == 408)
        #expect(client.readsEOF())
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let (server, port, _) = try TestServer.start { $0.idleTimeout = .milliseconds(200) }
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(client.readResponse()).status == 200)
        #expect(client.readsEOF())
    }

    @Test func connectionsPastTheCapGet503WhileOthersAreServed() throws {
        let (server, port, _) = try TestServer.start {
            $0.maxConnections = 2
            $0.eventLoops = 1
        }
        defer { server.shutdown(grace: .zero) }
        let first = try TestClient(port: port)
        let second = try TestClient(port: port)
        for client in [first, second] {
            client.send("GET /in HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try #require(client.readResponse()).status == 200)
        }
        let third = try TestClient(port: port)
        third.send("GET /over HTTP/1.1\r\nHost: t\r\n\r\n")
        let rejected = try #require(third.readResponse())
        #expect(rejected.status == 503)
        #expect(rejected.header("Retry-After") == "1")
        #expect(try JSONParser.parse(rejected.body)["statusCode"] == .int(503))
        #expect(third.readsEOF())

        first.send("GET /again HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(first.readResponse()).text == "/again")

        // Closing one frees a slot (released by the loop when it sees the close).
        second.send("GET /bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(try #require(second.readResponse()).status == 200)
        #expect(second.readsEOF())
        #expect(
            eventually {
                guard let client = try? TestClient(port: port) else { return false }
                client.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n")
                return client.readResponse()?.status == 200
            })
    }

    @Test func droppedRespondAnswers500() throws {
        struct Forgetful: HTTPHandler {
            func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {}
        }
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.logRequests = false
        let server = HTTPServer(configuration: configuration, handler: Forgetful())
        let port = try server.start()
        defer { server.shutdown(grace: .zero) }
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(client.readResponse()).status == 500)
    }

    @Test func shutdownFinishesInFlightRequestsThenStops() throws {
        // One loop, so seeing the idle connection closed proves the shutdown reached the busy one too.
        let (server, port, handler) = try TestServer.start { $0.eventLoops = 1 }
        let idle = try TestClient(port: port)
        idle.send("GET /warm HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(idle.readResponse()).status == 200)
        let busy = try TestClient(port: port)
        busy.send("GET /defer/shutdown HTTP/1.1\r\nHost: t\r\n\r\n")
        let respond = try #require(handler.held(count: 1)["/defer/shutdown"])

        let stopped = TestServer.background { server.shutdown(grace: .seconds(30)) }
        // Idle connections are closed and new ones refused, while the held request keeps the server up.
        #expect(idle.readsEOF())
        #expect(eventually { (try? TestClient(port: port)) == nil })
        #expect(!stopped.isSet)

        respond(HTTPResponse(status: .ok, body: Array("done".utf8)))
        let response = try #require(busy.readResponse())
        #expect(response.text == "done")
        #expect(response.header("Connection") == "close")
        #expect(busy.readsEOF())
        #expect(eventually { stopped.isSet })
    }

    @Test func shutdownGivesUpAfterTheGracePeriod() throws {
        let (server, port, handler) = try TestServer.start()
        let busy = try TestClient(port: port)
        busy.send("GET /defer/never HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = handler.held(count: 1)
        server.shutdown(grace: .milliseconds(100))
        #expect(busy.readResponse() == nil)
        server.waitUntilStopped()
    }

    /// `serve` binds before it opens the database (CLI.md); the server then accepts on that socket.
    @Test func aServerAcceptsOnAListenerBoundBeforeIt() throws {
        let listener = try HTTPListener.bind(host: "127.0.0.1", port: 0)
        #expect(throws: HTTPServerError.self) { _ = try HTTPListener.bind(host: "127.0.0.1", port: listener.port) }
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.logRequests = false
        let server = HTTPServer(configuration: configuration, handler: TestHandler())
        defer { server.shutdown(grace: .zero) }
        #expect(try server.start(listener: listener) == listener.port)
        let client = try TestClient(port: listener.port)
        client.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try #require(client.readResponse()).status == 200)
    }

    @Test func bindingABusyPortFailsWithAClearError() throws {
        let (server, port, _) = try TestServer.start()
        defer { server.shutdown(grace: .zero) }
        let second = HTTPServer(configuration: ServerConfiguration(host: "127.0.0.1", port: port), handler: TestHandler())
        #expect {
            _ = try second.start()
        } throws: { error in
            "\(error)".contains("bind()") && "\(error)".contains("127.0.0.1:\(port)")
        }
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(configuration: ServerConfiguration(host: "not-an-ip", port: 0), handler: TestHandler()).start()
        }
    }
}
