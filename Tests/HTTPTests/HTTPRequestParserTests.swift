import Testing

@testable import HTTP

@Suite("HTTP request parser: valid requests")
struct HTTPRequestParserValidTests {
    typealias D = ParserDriver

    @Test func simpleGet() throws {
        let outcome = D.whole("GET /api/v2/connections HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(outcome.error == nil)
        let request = try #require(outcome.requests.first)
        #expect(outcome.requests.count == 1)
        #expect(request.method == .get)
        #expect(request.target == "/api/v2/connections")
        #expect(request.path == "/api/v2/connections")
        #expect(request.query == nil)
        #expect(request.version == .http1_1)
        #expect(request.keepAlive)
        #expect(request.headers["host"] == "example.com")
        #expect(request.headers["ACCEPT"] == "*/*")
        #expect(request.body.isEmpty)
        #expect(outcome.leftover == 0)
    }

    @Test func querySplitAndNoPercentDecoding() throws {
        let outcome = D.whole("GET /a%2Fb/c?x=1&y=%20?z HTTP/1.1\r\nHost: h\r\n\r\n")
        let request = try #require(outcome.requests.first)
        #expect(request.path == "/a%2Fb/c")
        #expect(request.query == "x=1&y=%20?z")
        #expect(request.target == "/a%2Fb/c?x=1&y=%20?z")
    }

    @Test func emptyQuery() throws {
        let request = try #require(D.whole("GET /x? HTTP/1.1\r\nHost: h\r\n\r\n").requests.first)
        #expect(request.path == "/x")
        #expect(request.query == "")
    }

    @Test func postWithContentLength() throws {
        let outcome = D.whole("POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 13\r\n\r\n{\"name\":\"x\"}\n")
        let request = try #require(outcome.requests.first)
        #expect(request.method == .post)
        #expect(request.body == Array("{\"name\":\"x\"}\n".utf8))
    }

    @Test func contentLengthZero() throws {
        let request = try #require(D.whole("POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").requests.first)
        #expect(request.body.isEmpty)
    }

    @Test func leadingZerosInContentLength() throws {
        let request = try #require(D.whole("POST /c HTTP/1.1\r\nHost: h\r\nContent-Length: 003\r\n\r\nabc").requests.first)
        #expect(request.body == Array("abc".utf8))
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let text =
            "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
        let outcome = D.whole(text)
        #expect(outcome.error == nil)
        let request = try #require(outcome.requests.first)
        #expect(request.body == Array("hello world".utf8))
        // RFC 9112 §7.1.2: trailers are not merged into the header section.
        #expect(request.headers["X-Trailer"] == nil)
        #expect(outcome.leftover == 0)
    }

    @Test func chunkedCodingNameIsCaseInsensitive() throws {
        let text = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"
        #expect(try #require(D.whole(text).requests.first).body.count == 10)
    }

    @Test func pipelinedRequestsInOneBuffer() throws {
        let text =
            "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "GET /thr"
        let outcome = D.whole(text)
        #expect(outcome.requests.map(\.path) == ["/one", "/two"])
        #expect(outcome.requests[1].body == Array("abc".utf8))
        #expect(outcome.leftover == 8)
    }

    @Test func consumedCountsExactlyOneRequest() throws {
        let first = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
        var parser = HTTPRequestParser()
        guard case .request(_, let consumed) = parser.parse(D.bytes(first + "GET /two HTTP/1.1\r\n")) else {
            Issue.record("expected a request")
            return
        }
        #expect(consumed == first.utf8.count)
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func splitAcrossCallsGivesTheSameResult(step: Int) {
        let text =
            "\r\nPOST /a?b=c HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello"
            + "PATCH /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1;e=1\r\nd\r\n0\r\nT: 1\r\n\r\n"
            + "GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
            + "GET /d HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let whole = D.whole(text)
        let split = D.incremental(D.bytes(text), step: step)
        #expect(whole.requests.count == 4)
        #expect(whole.error == nil)
        #expect(split.summary == whole.summary)
    }

    @Test func byteByByteErrorsMatchWholeBuffer() {
        let text = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"
        #expect(D.incremental(D.bytes(text)).summary == D.whole(text).summary)
        #expect(D.whole(text).error?.status == .badRequest)
    }

    @Test func http10DefaultsToClose() throws {
        let request = try #require(D.whole("GET / HTTP/1.0\r\n\r\n").requests.first)
        #expect(request.version == .http1_0)
        #expect(!request.keepAlive)
    }

    @Test func http10KeepAlive() throws {
        let request = try #require(D.whole("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").requests.first)
        #expect(request.keepAlive)
    }

    @Test func http11ConnectionClose() throws {
        let request = try #require(D.whole("GET / HTTP/1.1\r\nHost: h\r\nconnection: upgrade, CLOSE\r\n\r\n").requests.first)
        #expect(!request.keepAlive)
    }

    @Test func fieldValueWhitespaceTrimmedAndObsTextKept() throws {
        var input = D.bytes("GET / HTTP/1.1\r\nHost:\t h \t\r\nX-Name: caf")
        input += [0xC3, 0xA9]
        input += D.bytes(" x\r\n\r\n")
        let request = try #require(D.whole(input).requests.first)
        #expect(request.headers["host"] == "h")
        #expect(request.headers["x-name"] == "café x")
    }

    @Test func repeatedFieldsKeepOrder() throws {
        let request = try #require(D.whole("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n").requests.first)
        #expect(request.headers.values(for: "X-A") == ["1", "2"])
    }

    @Test func absoluteFormRoutesOnItsPath() throws {
        let request = try #require(
            D.whole("GET http://example.com:8080/api/v2/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n").requests.first)
        #expect(request.path == "/api/v2/x")
        #expect(request.query == "y=1")
        #expect(request.target == "http://example.com:8080/api/v2/x?y=1")
        let bare = try #require(D.whole("GET HTTPS://example.com HTTP/1.1\r\nHost: e\r\n\r\n").requests.first)
        #expect(bare.path == "/")
    }

    @Test func asteriskFormWithOptions() throws {
        let request = try #require(D.whole("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").requests.first)
        #expect(request.method == .options)
        #expect(request.path == "*")
    }

    @Test func unknownButValidMethodIsLeftToRouting() throws {
        let request = try #require(D.whole("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n").requests.first)
        #expect(request.method.rawValue == "PROPFIND")
    }

    @Test func expectContinueIsSignalledOnceBeforeTheBody() throws {
        var parser = HTTPRequestParser()
        var buffer = D.bytes("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n")
        guard case .head = parser.parse(buffer) else {
            Issue.record("expected the head first")
            return
        }
        guard case .sendContinue = parser.parse(buffer) else {
            Issue.record("expected sendContinue")
            return
        }
        guard case .needMoreData = parser.parse(buffer) else {
            Issue.record("expected needMoreData after the signal")
            return
        }
        #expect(parser.isReadingBody)
        buffer += D.bytes("ok")
        guard case .request(let request, _) = parser.parse(buffer) else {
            Issue.record("expected the request")
            return
        }
        #expect(request.body == D.bytes("ok"))
    }

    /// API.md "CPU budget": the transport can refuse a request from its head, before the body.
    @Test func headIsAnnouncedOnceBeforeTheBodyIsRead() throws {
        var parser = HTTPRequestParser()
        var buffer = D.bytes("POST /p?q=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nContent-Length: 1000000\r\n\r\n")
        guard case .head(let head) = parser.parse(buffer) else {
            Issue.record("expected the head")
            return
        }
        #expect(head.method == .post && head.path == "/p" && head.query == "q=1")
        #expect(head.headers["Authorization"] == "Bearer t")
        #expect(head.body.isEmpty && head.keepAlive)
        #expect(parser.isReadingBody)
        buffer += D.bytes("{}")
        guard case .needMoreData = parser.parse(buffer) else {
            Issue.record("expected to wait for the rest of the body, without a second head")
            return
        }
    }

    @Test func headIsAnnouncedOnlyWhenABodyFollows() {
        let chunked = D.whole("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
        #expect(chunked.heads.count == 1 && chunked.requests.count == 1)
        #expect(chunked.requests.first?.body == D.bytes("{}"))
        let head = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n"
        let text = head + "{}GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        // Not announced when the whole body came with the head (it has been read); announced when
        // it has yet to come.
        let whole = D.whole(text)
        #expect(whole.heads.isEmpty && whole.requests.count == 2)
        let split = D.incremental(D.bytes(text), step: head.utf8.count)
        #expect(split.heads.count == 1 && split.summary == whole.summary)
        let empty = D.whole("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
        #expect(empty.heads.isEmpty && empty.requests.count == 1)
    }

    @Test func expectContinueWithChunkedBody() {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
        let outcome = D.incremental(D.bytes(text + "1\r\na\r\n0\r\n\r\n"), step: text.utf8.count)
        #expect(outcome.continues == 1)
        #expect(outcome.requests.count == 1)
    }

    @Test func expectContinueNotSignalledWhenBodyAlreadyArrived() {
        let outcome = D.whole("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
        #expect(outcome.continues == 0)
        #expect(outcome.requests.count == 1)
    }

    @Test func expectContinueIgnoredForHTTP10() {
        let outcome = D.whole("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(outcome.continues == 0)
        #expect(outcome.requests.isEmpty)
    }

    @Test func partialProgressIsReported() {
        var parser = HTTPRequestParser()
        #expect(!parser.hasPartialRequest)
        _ = parser.parse(D.bytes("GET / HT"))
        #expect(parser.hasPartialRequest)
        #expect(!parser.isReadingBody)
        var body = HTTPRequestParser()
        _ = body.parse(D.bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab"))
        #expect(body.isReadingBody)
    }
}

@Suite("HTTP request parser: hostile framing")
struct HTTPRequestParserFramingTests {
    typealias D = ParserDriver

    private func status(_ text: String, limits: ParserLimits = ParserLimits()) -> Int? {
        let whole = D.whole(text, limits: limits)
        // Every rejection must be the same whether the bytes come at once or one by one.
        let split = D.incremental(D.bytes(text), limits: limits)
        #expect(whole.error == split.error, "whole and byte-by-byte disagree for \(text.debugDescription)")
        return whole.error?.status.code
    }

    @Test func contentLengthWithTransferEncoding() {
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n") == 400)
    }

    @Test func repeatedContentLength() {
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc") == 400)
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") == 400)
    }

    @Test(arguments: ["3, 3", "abc", "-1", "+3", "", "3 3", "0x10", "1.0"])
    func malformedContentLength(value: String) {
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(value)\r\n\r\n") == 400)
    }

    @Test func hugeContentLengthIs413NotAnOverflow() {
        let outcome = D.whole("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999\r\n\r\n")
        #expect(outcome.error?.status == .payloadTooLarge)
        #expect(outcome.error?.message == "Payload content length greater than maximum allowed: 1048576")
    }

    @Test func obsoleteLineFolding() {
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n\ttwo\r\n\r\n") == 400)
    }

    @Test func whitespaceBeforeFirstField() {
        #expect(status("GET / HTTP/1.1\r\n Host: h\r\n\r\n") == 400)
    }

    @Test func bareLineFeeds() {
        #expect(status("GET / HTTP/1.1\nHost: h\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\n\n") == 400)
        #expect(status("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    @Test func bareCarriageReturns() {
        #expect(status("GET / HTTP/1.1\rX\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A\r: a\r\n\r\n") == 400)
    }

    @Test func nulAndControlsInFieldValues() {
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{1}b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{7F}\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\tb\r\n\r\n") == nil)
    }

    @Test func hostRules() {
        #expect(status("GET / HTTP/1.1\r\nX-A: 1\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost:\r\n\r\n") == nil)
    }

    @Test(arguments: ["GE(T", "GET\u{1}", "G\"T", "GE@T", "GET\u{7F}"])
    func invalidMethodToken(method: String) {
        #expect(status("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    @Test func malformedRequestLines() {
        #expect(status("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1 \r\nHost: h\r\n\r\n") == 400)
        #expect(status(" GET / HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET /\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET\r\n\r\n") == 400)
    }

    @Test func invalidTargets() {
        #expect(status("GET /caf\u{E9} HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET api/v2 HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET * HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET ftp://x/y HTTP/1.1\r\nHost: h\r\n\r\n") == 400)
    }

    @Test func versions() {
        #expect(status("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == 505)
        #expect(status("GET / HTTP/1.2\r\nHost: h\r\n\r\n") == 505)
        #expect(status("GET / HTTP/0.9\r\n\r\n") == 505)
        #expect(status("GET / http/1.1\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.10\r\nHost: h\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1\r\nHost: h\r\n\r\n") == 400)
    }

    @Test func fieldNameRules() {
        #expect(status("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n") == 400)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX(A): v\r\n\r\n") == 400)
    }

    @Test func transferEncodings() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\n"
        #expect(status(head + "Transfer-Encoding: gzip\r\n\r\n") == 400)
        #expect(status(head + "Transfer-Encoding: chunked, gzip\r\n\r\n") == 400)
        #expect(status(head + "Transfer-Encoding: chunked, chunked\r\n\r\n") == 400)
        #expect(status(head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
        #expect(status(head + "Transfer-Encoding: \r\n\r\n") == 400)
        #expect(status(head + "Transfer-Encoding: gzip, chunked\r\n\r\n") == 501)
        #expect(status(head + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n") == 501)
        #expect(status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == 400)
    }

    @Test func chunkedFramingErrors() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(status(head + "g\r\n") == 400)
        #expect(status(head + ";x\r\n") == 400)
        #expect(status(head + "3\r\nabcX\r\n0\r\n\r\n") == 400)
        #expect(status(head + "3\r\nabc\r\r\n") == 400)
        #expect(status(head + "3\nabc\r\n0\r\n\r\n") == 400)
        #expect(status(head + "3 x\r\nabc\r\n0\r\n\r\n") == 400)
        #expect(status(head + "3;a=\u{1}\r\nabc\r\n0\r\n\r\n") == 400)
        #expect(status(head + "0\r\nBad Trailer: x\r\n\r\n") == 400)
        #expect(status(head + "0\r\nX: a\u{0}\r\n\r\n") == 400)
        #expect(status(head + "ffffffffffffffffffffffffffff\r\n") == 413)
    }

    /// Found by fuzzing: an over-long line ended by a bare LF must get the same verdict whether the
    /// LF arrives with the line (whole) or after the limit was already passed (byte by byte).
    @Test func overLongLinesEndedByBareLFAgreeAcrossSplits() {
        let long = String(repeating: "a", count: 8200)
        #expect(status("GET /\(long) HTTP/1.1\nHost: h\r\n\r\n") == 414)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX: \(long)\(long)\n\r\n") == 431)
        let chunkHead = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(status(chunkHead + "1;" + String(repeating: "e", count: 1100) + "\nx\r\n0\r\n\r\n") == 400)
        #expect(status(chunkHead + "0\r\nT: \(long)\(long)\n\r\n") == 431)
    }

    @Test func parserStaysFailed() {
        var parser = HTTPRequestParser()
        let bad = D.bytes("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
        guard case .error = parser.parse(bad) else {
            Issue.record("expected an error")
            return
        }
        guard case .error(let again) = parser.parse(bad + D.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")) else {
            Issue.record("expected the parser to stay failed")
            return
        }
        #expect(again.status == .badRequest)
    }
}

@Suite("HTTP request parser: limits at their boundaries")
struct HTTPRequestParserLimitTests {
    typealias D = ParserDriver

    /// A request line of exactly `length` bytes (without CRLF).
    private func requestLine(length: Int) -> String {
        let fixed = "GET / HTTP/1.1".utf8.count
        return "GET /" + String(repeating: "a", count: length - fixed) + " HTTP/1.1"
    }

    @Test func requestLineAtLimitPasses() {
        let line = requestLine(length: 8192)
        #expect(line.utf8.count == 8192)
        #expect(D.whole(line + "\r\nHost: h\r\n\r\n").requests.count == 1)
    }

    @Test func requestLineOverLimitIs414() {
        let outcome = D.whole(requestLine(length: 8193) + "\r\nHost: h\r\n\r\n")
        #expect(outcome.error?.status == .uriTooLong)
        #expect(outcome.error?.status.reason == "URI Too Long")
    }

    @Test func requestLineOverLimitIs414BeforeItEnds() {
        let line = D.bytes(requestLine(length: 8193))
        #expect(D.whole(Array(line)).error?.status == .uriTooLong)
        // Exactly at the limit and still open (the CR may be next): keep waiting.
        #expect(D.whole(Array(line.dropLast())).error == nil)
        #expect(D.whole(Array(line.dropLast()) + [0x0D]).error == nil)
    }

    /// A head whose field lines (with CRLFs) take exactly `bytes`.
    private func head(fieldBytes: Int) -> String {
        let host = "Host: h\r\n"
        let filler = fieldBytes - host.utf8.count - "X: \r\n".utf8.count
        return "GET / HTTP/1.1\r\n" + host + "X: " + String(repeating: "v", count: filler) + "\r\n\r\n"
    }

    @Test func headerBytesAtLimitPass() {
        #expect(D.whole(head(fieldBytes: 16384)).requests.count == 1)
        #expect(D.incremental(D.bytes(head(fieldBytes: 16384)), step: 1000).requests.count == 1)
    }

    @Test func headerBytesOverLimitAre431() {
        #expect(D.whole(head(fieldBytes: 16385)).error?.status == .requestHeaderFieldsTooLarge)
        #expect(D.incremental(D.bytes(head(fieldBytes: 16385)), step: 1000).error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func unterminatedOversizedFieldLineIs431Early() {
        let text = "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 20_000)
        #expect(D.whole(text).error?.status == .requestHeaderFieldsTooLarge)
    }

    private func head(fieldCount: Int) -> String {
        var text = "GET / HTTP/1.1\r\nHost: h\r\n"
        for index in 1..<fieldCount { text += "X-\(index): v\r\n" }
        return text + "\r\n"
    }

    @Test func headerCountAtLimitPasses() {
        let request = D.whole(head(fieldCount: 100)).requests.first
        #expect(request?.headers.count == 100)
    }

    @Test func headerCountOverLimitIs431() {
        #expect(D.whole(head(fieldCount: 101)).error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func contentLengthAtLimitPasses() {
        let body = String(repeating: "b", count: 1_048_576)
        let outcome = D.whole("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048576\r\n\r\n" + body)
        #expect(outcome.requests.first?.body.count == 1_048_576)
    }

    @Test func contentLengthOverLimitIs413AtTheHead() {
        let outcome = D.whole("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1048577\r\n\r\n")
        #expect(outcome.error?.status == .payloadTooLarge)
        #expect(outcome.error?.status.reason == "Request Entity Too Large")
        #expect(outcome.error?.message == "Payload content length greater than maximum allowed: 1048576")
    }

    private func chunked(_ sizes: [Int]) -> String {
        var text = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        for size in sizes { text += String(size, radix: 16) + "\r\n" + String(repeating: "c", count: size) + "\r\n" }
        return text + "0\r\n\r\n"
    }

    @Test func chunkedBodyAtLimitPasses() {
        let outcome = D.whole(chunked([524_288, 524_287, 1]))
        #expect(outcome.requests.first?.body.count == 1_048_576)
    }

    @Test func chunkedBodyOverLimitIs413() {
        let outcome = D.whole(chunked([524_288, 524_288, 1]))
        #expect(outcome.error?.status == .payloadTooLarge)
        #expect(outcome.error?.message == "Payload content length greater than maximum allowed: 1048576")
    }

    @Test func chunkedWireOverheadIsBounded() {
        // One-byte chunks padded with 1000-byte extensions: a tiny body behind a huge framing.
        var limits = ParserLimits()
        limits.maxBodyBytes = 100_000
        #expect(limits.maxChunkedWireBytes == 265_536)
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let chunk = "1;" + String(repeating: "e", count: 1000) + "\r\nx\r\n"
        let within = head + String(repeating: chunk, count: 200) + "0\r\n\r\n"
        #expect(D.whole(within, limits: limits).requests.first?.body.count == 200)
        let flood = head + String(repeating: chunk, count: 270) + "0\r\n\r\n"
        #expect(D.whole(flood, limits: limits).error?.status == .payloadTooLarge)
    }

    @Test func chunkSizeLineAtLimit() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let atLimit = "1;" + String(repeating: "e", count: 1022)
        #expect(atLimit.utf8.count == 1024)
        #expect(D.whole(head + atLimit + "\r\nx\r\n0\r\n\r\n").requests.count == 1)
        #expect(D.whole(head + atLimit + "e\r\nx\r\n0\r\n\r\n").error?.status == .badRequest)
    }

    @Test func trailerSectionLimits() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let atLimit = "T: " + String(repeating: "t", count: 16384 - 5) + "\r\n"
        #expect(D.whole(head + atLimit + "\r\n").requests.count == 1)
        let over = "T: " + String(repeating: "t", count: 16384 - 4) + "\r\n"
        #expect(D.whole(head + over + "\r\n").error?.status == .requestHeaderFieldsTooLarge)
        let many = (0...100).map { "T\($0): v\r\n" }.joined()
        #expect(D.whole(head + many + "\r\n").error?.status == .requestHeaderFieldsTooLarge)
    }

    @Test func endlessEmptyLinesBeforeTheRequestAreBounded() {
        let text = String(repeating: "\r\n", count: 5000)
        #expect(D.whole(text).error?.status == .badRequest)
        #expect(D.whole("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").requests.count == 1)
    }
}

@Suite("HTTP request parser: robustness")
struct HTTPRequestParserRobustnessTests {
    typealias D = ParserDriver

    /// A small deterministic generator, so a failure reproduces.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static let seeds: [String] = [
        "GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n2;x\r\nab\r\n0\r\nT: v\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    ]

    @Test func mutatedInputNeverTrapsAndSplittingNeverChangesTheOutcome() {
        var random = SplitMix(state: 0x5EED)
        let alphabet: [UInt8] = Array("\r\n :;,0123456789abcdefHTPGOS/.\t".utf8) + [0, 0x7F, 0xFF]
        let limits = ParserLimits(
            maxRequestLineBytes: 40, maxHeaderBytes: 80, maxHeaderCount: 4, maxBodyBytes: 16, maxChunkLineBytes: 8)
        for _ in 0..<3000 {
            var input = D.bytes(Self.seeds.randomElement(using: &random)!)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<input.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: input[position] = alphabet.randomElement(using: &random)!
                case 1: input.insert(alphabet.randomElement(using: &random)!, at: position)
                default: input.remove(at: position)
                }
                if input.isEmpty { input = [0x0D] }
            }
            let whole = D.whole(input, limits: limits)
            let split = D.incremental(input, step: Int.random(in: 1...5, using: &random), limits: limits)
            #expect(whole.summary == split.summary, "input \(input)")
        }
    }
}

/// Regression for the fuzzing finding `fuzz/repro/http/chunked-wire-stall.py`.
@Suite struct ChunkedWireLimitTests {
    @Test func aChunkDeclaredPastTheWireLimitIs413AtItsSizeLine() {
        let limits = ParserLimits(maxBodyBytes: 4096)
        var request = Array("POST /api/v2/connections HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        let bodyStart = request.count
        // One-byte chunks carrying long extensions, until the wire is close to its limit.
        let chunk = Array(("1;" + String(repeating: "e", count: 1000) + "\r\nx\r\n").utf8)
        var sent = 0
        while request.count - bodyStart + chunk.count < limits.maxChunkedWireBytes - 2048 {
            request += chunk
            sent += 1
        }
        // A size the body limit still allows, but whose bytes would pass the wire limit.
        let size = limits.maxBodyBytes - sent
        #expect(request.count - bodyStart + size > limits.maxChunkedWireBytes)
        request += Array((String(size, radix: 16) + "\r\n").utf8)
        let outcome = ParserDriver.whole(request, limits: limits)
        #expect(outcome.error?.status == .payloadTooLarge)
        #expect(outcome.requests.isEmpty)
    }
}
