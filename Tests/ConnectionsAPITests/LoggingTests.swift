import Testing

@testable import ConnectionsAPI

/// Request ids and log lines (API.md "Operations"), without a socket.
@Suite struct LoggingTests {
    @Test func aClientsRequestIDIsKeptOnlyWhenUsable() {
        #expect(RequestID(given: "abc-123")?.description == "abc-123")
        #expect(RequestID(given: String(repeating: "x", count: 128)) != nil)
        #expect(RequestID(given: String(repeating: "x", count: 129)) == nil)
        #expect(RequestID(given: "") == nil)
        #expect(RequestID(given: "a b") == nil)
        #expect(RequestID(given: "line\nbreak") == nil)
        #expect(RequestID(given: "caf\u{E9}") == nil)
    }

    @Test func madeRequestIDsNameProcessLoopAndSerial() {
        let first = RequestID(loop: 1, serial: 42).description
        let parts = first.split(separator: "-")
        #expect(parts.count == 3)
        #expect(parts[0].count == 8 && parts[0].allSatisfy(\.isHexDigit))
        #expect(parts[1] == "1" && parts[2] == "000042")
        #expect(RequestID(loop: 0, serial: 1_234_567).description.hasSuffix("-0-1234567"))
        #expect(RequestID(loop: 1, serial: 42).description == first)
    }

    @Test func everyResponseCarriesItsRequestID() {
        var bytes: [UInt8] = []
        HTTPResponse(status: .noContent).serialize(into: &bytes, close: false, requestID: RequestID(given: "rid-7"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\r\nX-Request-Id: rid-7\r\n"))
    }

    @Test func textLinesArePositionalAndStayOnOneLine() {
        var line = LogLine(format: .text, timestamp: "2026-12-02T10:00:00.123Z".utf8, level: "info")
        line.add("request_id", "r-1")
        line.add("actor", "")
        line.add("path", "/a b")
        line.add("status", 200)
        line.addMilliseconds("duration_ms", nanoseconds: 1_234_567)
        line.add("bytes", 15, suffix: "B")
        line.finish()
        #expect(String(decoding: line.bytes, as: UTF8.self) == "2026-12-02T10:00:00.123Z info r-1 - /a?b 200 1.234ms 15B\n")
    }

    @Test func jsonLinesEscapeTheirValues() {
        var line = LogLine(format: .json, timestamp: "2026-12-02T10:00:00.123Z".utf8, level: "error")
        line.add("request_id", "q\"\\\u{1}")
        line.addMilliseconds("duration_ms", nanoseconds: 5_000)
        line.addMessage("two\nlines")
        line.add("requests_served", 3, labelled: true)
        line.finish()
        #expect(
            String(decoding: line.bytes, as: UTF8.self)
                == #"{"ts":"2026-12-02T10:00:00.123Z","level":"error","request_id":"q\"\\\u0001","duration_ms":0.005,"msg":"two\u000alines","requests_served":3}"#
                + "\n")
    }
}
