import Testing

@testable import HTTPTransport

/// Log lines and their timestamps (API.md "Operations"), without a socket.
@Suite struct LogLineTests {
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

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_123), "2000-02-29T00:00:00.123Z"),
        (Int64(1_795_687_200_000), "2026-11-26T10:00:00.000Z"),
        (Int64(4_102_444_799_999), "2099-12-31T23:59:59.999Z"),
    ])
    func timestampsAreUTCWithMilliseconds(milliseconds: Int64, expected: String) {
        #expect(UTCTimestamp.format(millisecondsSinceEpoch: milliseconds) == expected)
    }
}
