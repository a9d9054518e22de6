// libFuzzer target for HTTPRequestParser. Compiled by fuzz/run.sh in one module with
// Sources/HTTP/*.swift (so it sees internal types) against an instrumented JSON
// module; not part of the package. A broken property calls `fatalError`, which libFuzzer reports as
// a crash with the input.
//
// Each input is a byte stream from one connection. It is parsed under two sets of limits (the
// defaults, and tight ones so the limit edges are reachable with small inputs) and fed three ways:
// whole, split in two at a point derived from the bytes, and one byte at a time. The transport's
// contract is that all three give the same requests and the same verdict.

/// Small limits so 414, 431, 413 and the chunk-line limit are reached by inputs of a few hundred bytes.
private let tightLimits = ParserLimits(
    maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 8, maxBodyBytes: 128, maxChunkLineBytes: 16)
private let limitSets = [ParserLimits(), tightLimits]
/// Byte-at-a-time feeding is quadratic in the number of calls only through the driver's bookkeeping;
/// beyond this size the two-way split alone is checked to keep executions fast.
private let maxBytewiseInput = 2048

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data.assumingMemoryBound(to: UInt8.self), count: size)
    for limits in limitSets {
        let whole = Driver.feed(input, cuts: [], limits: limits)
        let cut = splitPoint(input)
        let split = Driver.feed(input, cuts: [cut], limits: limits)
        check(split == whole, "split at \(cut) differs from whole:\n  whole: \(whole)\n  split: \(split)")
        if size <= maxBytewiseInput {
            let bytewise = Driver.feed(input, cuts: Array(0..<size), limits: limits)
            check(bytewise == whole, "byte-at-a-time differs from whole:\n  whole: \(whole)\n  bytes: \(bytewise)")
        }
    }
    return 0
}

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("property broken: \(message())") }
}

/// FNV-1a of the input, so the split point is a deterministic function of the bytes (a crash
/// reproduces from the saved input alone) while mutations still move it around.
private func splitPoint(_ input: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in input { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return input.isEmpty ? 0 : Int(hash % UInt64(input.count + 1))
}

/// What a stream parsed to, in a form that compares whole and split feeding.
private struct Outcome: Equatable, CustomStringConvertible {
    var requests: [String] = []
    var error: HTTPParseError?
    /// Bytes the parser was still holding when it asked for more (zero after an error: the connection
    /// closes, so what was left unread does not matter).
    var leftover = 0

    var description: String {
        "\(requests) " + (error.map { "error=\($0)" } ?? "leftover=\(leftover)")
    }
}

private enum Driver {
    /// Feeds `input` the way the transport does: the buffer grows at each cut, and after each request
    /// the parser is called again on the unconsumed rest. Every buffer is an exact-size allocation so
    /// AddressSanitizer catches a read past the bytes given.
    static func feed(_ input: UnsafeBufferPointer<UInt8>, cuts: [Int], limits: ParserLimits) -> Outcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = Outcome()
        // The head announced for the request in progress, across feeds as the parser's state is.
        var head: HTTPRequest?
        var start = 0
        for end in cuts + [input.count] where end > 0 || input.isEmpty {
            let view = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: end - start)
            defer { view.deallocate() }
            _ = view.initialize(from: UnsafeBufferPointer(rebasing: input[start..<end]))
            let consumed = drain(&parser, UnsafeBufferPointer(view), limits: limits, &outcome, &head)
            start += consumed
            if outcome.error != nil { break }
        }
        return outcome
    }

    /// Parses requests out of `buffer` until the parser needs more or fails; returns the bytes consumed.
    private static func drain(
        _ parser: inout HTTPRequestParser, _ buffer: UnsafeBufferPointer<UInt8>, limits: ParserLimits,
        _ outcome: inout Outcome, _ head: inout HTTPRequest?
    ) -> Int {
        var consumedTotal = 0
        var continues = 0
        while true {
            let rest = UnsafeBufferPointer(rebasing: buffer[consumedTotal...])
            switch parser.parse(rest) {
            case .needMoreData:
                outcome.leftover = rest.count
                // The transport stops reading once this much is buffered; a parser still waiting then
                // would stall the connection until its deadline.
                check(
                    rest.count < limits.maxMessageBytes,
                    "needs more data while holding \(rest.count) bytes, maxMessageBytes is \(limits.maxMessageBytes)")
                return consumedTotal
            case .head(let announced):
                check(head == nil, "head announced twice for one request")
                check(continues == 0, "head announced after sendContinue")
                check(announced.body.isEmpty, "an announced head carries a body")
                check(parser.isReadingBody, "head announced before the head is complete")
                checkRequest(announced, limits: limits, announced: true)
                head = announced
            case .sendContinue:
                continues += 1
                check(continues == 1, "sendContinue twice for one request")
                check(parser.isReadingBody, "sendContinue before the head is complete")
                check(head != nil, "sendContinue before the head was announced")
            case .request(let request, let consumed):
                check(consumed > 0, "a request that consumed nothing")
                check(consumed <= rest.count, "consumed \(consumed) of \(rest.count) bytes")
                check(!parser.hasPartialRequest, "parser not fresh after a request")
                checkRequest(request, limits: limits)
                // A head is announced only for a request with a body (chunked: always; a Content-Length
                // body: unless it all came with the head), and says what the request says.
                let chunked = request.headers.contains("Transfer-Encoding")
                check(head == nil || chunked || !request.body.isEmpty, "head announced for a request without a body")
                check(head != nil || !chunked, "chunked request without an announced head")
                if let head {
                    var bodiless = request
                    bodiless.body = []
                    check(summary(head) == summary(bodiless), "the request differs from its announced head")
                }
                outcome.requests.append(summary(request))
                consumedTotal += consumed
                continues = 0
                head = nil
            case .error(let error):
                // A failed parser stays failed, whatever it is given next.
                switch parser.parse(rest) {
                case .error(let again): check(again == error, "a second call changed the error")
                default: check(false, "parser recovered after an error")
                }
                outcome.error = error
                outcome.leftover = 0
                return consumedTotal
            }
        }
    }

    private static func checkRequest(_ request: HTTPRequest, limits: ParserLimits, announced: Bool = false) {
        check(request.body.count <= limits.maxBodyBytes, "body of \(request.body.count) bytes")
        check(request.headers.count <= limits.maxHeaderCount, "\(request.headers.count) header fields")
        check(request.version == .http1_1 || request.version == .http1_0, "version \(request.version)")
        check(!request.method.rawValue.isEmpty, "empty method")
        check(request.target.utf8.count <= limits.maxRequestLineBytes, "target longer than the request line")
        if request.version == .http1_1 {
            check(request.headers.values(for: "Host").count == 1, "HTTP/1.1 request without exactly one Host")
        }
        let lengths = request.headers.values(for: "Content-Length")
        if request.headers.contains("Transfer-Encoding") {
            check(lengths.isEmpty, "Content-Length together with Transfer-Encoding")
        } else if let length = lengths.first {
            check(
                lengths.count == 1 && (announced || Int(length) == request.body.count),
                "body does not match Content-Length")
        } else {
            check(request.body.isEmpty, "a body without Content-Length or chunked framing")
        }
        for field in request.headers {
            check(!field.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "CR, LF or NUL in a value")
        }
    }

    private static func summary(_ request: HTTPRequest) -> String {
        let fields = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
        return "\(request.method.rawValue) \(request.target) \(request.path) \(request.query ?? "-") "
            + "\(request.version) [\(fields)] body=\(request.body) keepAlive=\(request.keepAlive)"
    }
}
