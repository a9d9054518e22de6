/// Frames HTTP/1.1 requests (RFC 9112) out of a byte stream, strictly, with named limits.
///
/// Pure and incremental: call `parse` with the unconsumed bytes of the connection (the same bytes as
/// last time plus whatever arrived since). Progress is remembered as offsets relative to the first
/// byte, so earlier bytes are never scanned twice and the caller may move its buffer between calls.
/// After `.request(_, consumed:)` the parser is fresh for the next request; after `.error` it stays
/// failed. It never traps on any input.
public struct HTTPRequestParser: Sendable {
    public let limits: ParserLimits

    private enum Phase: Sendable {
        case requestLine
        case fieldLines
        case fixedBody
        case chunkSize
        case chunkData
        case chunkDataEnd
        case trailers
        case failed(HTTPParseError)
    }

    /// What the head said about framing and persistence, gathered while its field lines are read.
    private struct HeadFacts: Sendable {
        var hostCount = 0
        var contentLengthCount = 0
        var contentLength = 0
        var contentLengthMalformed = false
        var contentLengthTooLarge = false
        var transferEncodingSeen = false
        var transferCodings = 0
        var chunkedCount = 0
        var lastCodingIsChunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        var expectContinue = false
    }

    private enum LineScan {
        case incomplete(partialLength: Int)
        case line(Range<Int>)
        /// An LF without its CR, ending a line of `length` bytes.
        case bareLF(length: Int)
    }

    private var phase: Phase = .requestLine
    /// The next byte to examine, relative to the first unconsumed byte.
    private var offset = 0
    private var lineStart = 0
    private var preambleBytes = 0
    private var method = HTTPMethod.get
    private var target = ""
    private var originForm = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var headerBytes = 0
    private var facts = HeadFacts()
    private var bodyStart = 0
    private var chunkRemaining = 0
    private var trailerBytes = 0
    private var trailerCount = 0
    private var body: [UInt8] = []
    private var expectsContinue = false
    private var continueSignalled = false

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// Some bytes of a request have been seen but the request is not complete yet.
    public var hasPartialRequest: Bool {
        if case .requestLine = phase { return offset > 0 }
        if case .failed = phase { return false }
        return true
    }

    /// The method and path (without the query) of the request being read, once its request line
    /// is parsed; kept after a failure, so the log line of a 413 or a 408 can name them.
    public var requestLine: (method: HTTPMethod, path: String)? {
        guard !originForm.isEmpty else { return nil }
        return (method, String(originForm.prefix { $0 != "?" }))
    }

    /// The head is complete and the body is being read (its deadline applies).
    public var isReadingBody: Bool {
        switch phase {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: return true
        case .requestLine, .fieldLines, .failed: return false
        }
    }

    public mutating func parse(_ bytes: [UInt8]) -> HTTPParseResult {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    public mutating func parse(_ bytes: ArraySlice<UInt8>) -> HTTPParseResult {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseResult {
        if case .failed(let error) = phase { return .error(error) }
        // The contract is "the same bytes plus more"; fewer bytes than already examined is a caller bug,
        // answered as a failure rather than a trap.
        guard bytes.count >= offset else {
            return fail(HTTPParseError(status: .internalServerError, message: "Internal Server Error"))
        }
        while true {
            switch phase {
            case .failed(let error):
                return .error(error)
            case .requestLine:
                if let result = stepRequestLine(bytes) { return result }
            case .fieldLines:
                if let result = stepFieldLine(bytes) { return result }
            case .fixedBody:
                let available = bytes.count - bodyStart
                if available >= facts.contentLength {
                    body = Array(bytes[bodyStart..<(bodyStart + facts.contentLength)])
                    offset = bodyStart + facts.contentLength
                    return complete()
                }
                return continueOrWait(bytesCount: bytes.count)
            case .chunkSize:
                if let result = stepChunkSize(bytes) { return result }
            case .chunkData:
                let count = min(chunkRemaining, bytes.count - offset)
                if count > 0 {
                    body.append(contentsOf: bytes[offset..<(offset + count)])
                    offset += count
                    chunkRemaining -= count
                }
                if chunkRemaining > 0 { return .needMoreData }
                phase = .chunkDataEnd
            case .chunkDataEnd:
                // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
                if bytes.count - offset >= 1 && bytes[offset] != ASCII.cr
                    || bytes.count - offset >= 2 && bytes[offset + 1] != ASCII.lf
                {
                    return fail(.badRequest("Chunk data is not followed by CRLF"))
                }
                if bytes.count - offset < 2 { return .needMoreData }
                offset += 2
                lineStart = offset
                phase = .chunkSize
            case .trailers:
                if let result = stepTrailer(bytes) { return result }
            }
        }
    }

    // MARK: - Head

    private mutating func stepRequestLine(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseResult? {
        switch scanLine(bytes) {
        case .bareLF(let length):
            // The same verdict the byte-at-a-time path reaches below before the LF arrives.
            if length > limits.maxRequestLineBytes { return fail(.uriTooLong) }
            return fail(.badRequest("Bare LF in the request head; lines must end with CRLF"))
        case .incomplete(let partial):
            // The line so far, not counting a CR that may be the first half of its CRLF.
            let content = partial > 0 && bytes[bytes.count - 1] == ASCII.cr ? partial - 1 : partial
            if content > limits.maxRequestLineBytes { return fail(.uriTooLong) }
            return .needMoreData
        case .line(let range):
            if range.isEmpty {
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line;
                // bounded so a stream of CRLFs cannot hold the buffer forever.
                preambleBytes += 2
                if preambleBytes > limits.maxRequestLineBytes {
                    return fail(.badRequest("Too many empty lines before the request line"))
                }
                return nil
            }
            if range.count > limits.maxRequestLineBytes { return fail(.uriTooLong) }
            if let error = parseRequestLine(bytes, range) { return fail(error) }
            phase = .fieldLines
            return nil
        }
    }

    /// RFC 9112 §3: request-line = method SP request-target SP HTTP-version, single spaces, no other
    /// whitespace (a recipient that splits on looser whitespace invites smuggling, §3 last paragraph).
    private mutating func parseRequestLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
        -> HTTPParseError?
    {
        var index = range.lowerBound
        while index < range.upperBound && bytes[index] != ASCII.space {
            // RFC 9110 §9.1: method = token.
            guard ASCII.isTokenChar(bytes[index]) else { return .badRequest("Invalid character in method") }
            index += 1
        }
        if index == range.lowerBound { return .badRequest("Empty method") }
        guard index < range.upperBound else { return .badRequest("Malformed request line") }
        let methodRange = range.lowerBound..<index
        index += 1
        let targetStart = index
        while index < range.upperBound && bytes[index] != ASCII.space {
            // RFC 9112 §3.2: the target is visible ASCII; no whitespace, controls or raw non-ASCII.
            guard bytes[index] > 0x20 && bytes[index] < 0x7F else {
                return .badRequest("Invalid character in request-target")
            }
            index += 1
        }
        if index == targetStart { return .badRequest("Empty request-target") }
        guard index < range.upperBound else { return .badRequest("Malformed request line") }
        let targetRange = targetStart..<index
        let versionRange = (index + 1)..<range.upperBound

        // RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive. A well-formed
        // version other than 1.0 and 1.1 gets 505 (RFC 9110 §15.6.6).
        guard let parsedVersion = Self.parseVersion(bytes, versionRange) else {
            return .badRequest("Malformed HTTP version")
        }
        guard parsedVersion == .http1_1 || parsedVersion == .http1_0 else { return .versionNotSupported }
        version = parsedVersion
        method = HTTPMethod(rawValue: String(decoding: bytes[methodRange], as: UTF8.self))
        target = String(decoding: bytes[targetRange], as: UTF8.self)
        guard let origin = Self.originForm(of: target, method: method) else {
            return .badRequest("Invalid request-target")
        }
        originForm = origin
        return nil
    }

    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> HTTPVersion? {
        guard range.count == 8 else { return nil }
        let base = range.lowerBound
        guard bytes[base] == UInt8(ascii: "H"), bytes[base + 1] == UInt8(ascii: "T"),
            bytes[base + 2] == UInt8(ascii: "T"), bytes[base + 3] == UInt8(ascii: "P"),
            bytes[base + 4] == UInt8(ascii: "/"), bytes[base + 6] == UInt8(ascii: "."),
            (0x30...0x39).contains(bytes[base + 5]), (0x30...0x39).contains(bytes[base + 7])
        else { return nil }
        return HTTPVersion(major: Int(bytes[base + 5] - 0x30), minor: Int(bytes[base + 7] - 0x30))
    }

    /// RFC 9112 §3.2: origin-form (`/path?query`) is the norm; a server MUST accept absolute-form
    /// (§3.2.2) and routes on its path; asterisk-form only with OPTIONS (§3.2.4); authority-form only
    /// with CONNECT (§3.2.3), which routing then refuses.
    private static func originForm(of target: String, method: HTTPMethod) -> String? {
        let utf8 = target.utf8
        guard let first = utf8.first else { return nil }
        if first == UInt8(ascii: "/") { return target }
        if target == "*" { return method == .options ? target : nil }
        if method == .connect { return target }
        for scheme in ["http://", "https://"] where utf8.count > scheme.utf8.count {
            let prefix = target.utf8.prefix(scheme.utf8.count)
            guard zip(prefix, scheme.utf8).allSatisfy({ ASCII.lower($0) == $1 }) else { continue }
            let rest = target.utf8.dropFirst(scheme.utf8.count)
            guard let pathStart = rest.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") })
            else { return "/" }
            let origin = String(target[pathStart...])
            return origin.utf8.first == UInt8(ascii: "?") ? "/" + origin : origin
        }
        return nil
    }

    private mutating func stepFieldLine(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseResult? {
        switch scanLine(bytes) {
        case .bareLF(let length):
            if length >= 2 && headerBytes + length + 1 > limits.maxHeaderBytes { return fail(.headersTooLarge) }
            return fail(.badRequest("Bare LF in the request head; lines must end with CRLF"))
        case .incomplete(let partial):
            // A non-empty line of `partial` bytes will take at least `partial + 1` with its line end.
            if partial >= 2 && headerBytes + partial + 1 > limits.maxHeaderBytes { return fail(.headersTooLarge) }
            return .needMoreData
        case .line(let range):
            if range.isEmpty { return finishHead(available: bytes.count - offset) }
            headerBytes += range.count + 2
            if headerBytes > limits.maxHeaderBytes || headers.count >= limits.maxHeaderCount {
                return fail(.headersTooLarge)
            }
            // RFC 9112 §2.2: whitespace between the start-line and the first field line must be
            // rejected or consumed; it is rejected.
            if headers.isEmpty && ASCII.isWhitespace(bytes[range.lowerBound]) {
                return fail(.badRequest("Whitespace between the request line and the first header field"))
            }
            switch Self.parseFieldLine(bytes, range) {
            case .failure(let error):
                return fail(error)
            case .success(let field):
                noteFraming(bytes, name: field.name, value: field.value)
                headers.add(
                    name: String(decoding: bytes[field.name], as: UTF8.self),
                    value: String(decoding: bytes[field.value], as: UTF8.self))
                return nil
            }
        }
    }

    /// RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. Returns the name range and the
    /// value range with its optional whitespace trimmed.
    private static func parseFieldLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
        -> Result<(name: Range<Int>, value: Range<Int>), HTTPParseError>
    {
        // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is rejected with 400.
        if ASCII.isWhitespace(bytes[range.lowerBound]) {
            return .failure(.badRequest("Obsolete line folding is not accepted"))
        }
        var index = range.lowerBound
        while index < range.upperBound && bytes[index] != ASCII.colon {
            guard ASCII.isTokenChar(bytes[index]) else {
                // RFC 9112 §5.1: no whitespace is allowed between the field name and colon; a server
                // MUST reject such a request with 400.
                if ASCII.isWhitespace(bytes[index]) {
                    return .failure(.badRequest("Whitespace between a header field name and its colon"))
                }
                return .failure(.badRequest("Invalid character in a header field name"))
            }
            index += 1
        }
        guard index < range.upperBound else { return .failure(.badRequest("Header field line without a colon")) }
        guard index > range.lowerBound else { return .failure(.badRequest("Empty header field name")) }
        let name = range.lowerBound..<index
        var valueStart = index + 1
        var valueEnd = range.upperBound
        while valueStart < valueEnd && ASCII.isWhitespace(bytes[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart && ASCII.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        for position in valueStart..<valueEnd {
            let byte = bytes[position]
            // RFC 9110 §5.5: a field value containing CR, LF or NUL MUST be rejected (or those replaced
            // by SP); other controls are not field-vchar either. obs-text (0x80-0xFF) is allowed.
            if byte == 0 || byte == ASCII.cr || byte == ASCII.lf {
                return .failure(.badRequest("NUL, CR or LF in a header field value"))
            }
            if (byte < 0x20 && byte != ASCII.tab) || byte == 0x7F {
                return .failure(.badRequest("Control character in a header field value"))
            }
        }
        return .success((name: name, value: valueStart..<valueEnd))
    }

    /// Records the fields that decide framing and persistence, from their bytes (no string compares).
    private mutating func noteFraming(_ bytes: UnsafeBufferPointer<UInt8>, name: Range<Int>, value: Range<Int>) {
        switch name.count {
        case 4 where ASCII.equalsLowercase(bytes, name, "host"):
            facts.hostCount += 1
        case 6 where ASCII.equalsLowercase(bytes, name, "expect"):
            Self.forEachListElement(bytes, value) { element in
                if ASCII.equalsLowercase(bytes, element, "100-continue") { facts.expectContinue = true }
            }
        case 10 where ASCII.equalsLowercase(bytes, name, "connection"):
            Self.forEachListElement(bytes, value) { element in
                if ASCII.equalsLowercase(bytes, element, "close") { facts.connectionClose = true }
                if ASCII.equalsLowercase(bytes, element, "keep-alive") { facts.connectionKeepAlive = true }
            }
        case 14 where ASCII.equalsLowercase(bytes, name, "content-length"):
            facts.contentLengthCount += 1
            noteContentLength(bytes, value)
        case 17 where ASCII.equalsLowercase(bytes, name, "transfer-encoding"):
            facts.transferEncodingSeen = true
            Self.forEachListElement(bytes, value) { element in
                // A coding may carry parameters (RFC 9110 §10.1.4); only its name matters here.
                var nameEnd = element.lowerBound
                while nameEnd < element.upperBound && bytes[nameEnd] != UInt8(ascii: ";")
                    && !ASCII.isWhitespace(bytes[nameEnd])
                {
                    nameEnd += 1
                }
                let isChunked = ASCII.equalsLowercase(bytes, element.lowerBound..<nameEnd, "chunked")
                facts.transferCodings += 1
                if isChunked { facts.chunkedCount += 1 }
                facts.lastCodingIsChunked = isChunked
            }
        default:
            break
        }
    }

    /// RFC 9110 §8.6: Content-Length = 1*DIGIT. A list form (`5, 5`) is treated as malformed: the
    /// contract asks for strict framing, and no real client sends it.
    private mutating func noteContentLength(_ bytes: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) {
        if value.isEmpty { facts.contentLengthMalformed = true }
        var length = 0
        for position in value {
            let byte = bytes[position]
            guard (0x30...0x39).contains(byte) else {
                facts.contentLengthMalformed = true
                return
            }
            if length > limits.maxBodyBytes || length > Int.max / 20 {
                facts.contentLengthTooLarge = true
                continue
            }
            length = length * 10 + Int(byte - 0x30)
        }
        if length > limits.maxBodyBytes { facts.contentLengthTooLarge = true }
        facts.contentLength = length
    }

    /// `available`: the bytes already buffered after the head.
    private mutating func finishHead(available: Int) -> HTTPParseResult? {
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without a Host header field,
        // or with more than one.
        if version == .http1_1 && facts.hostCount == 0 { return fail(.badRequest("Missing Host header")) }
        if facts.hostCount > 1 { return fail(.badRequest("More than one Host header")) }

        var chunked = false
        if facts.transferEncodingSeen {
            // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
            if version == .http1_0 { return fail(.badRequest("Transfer-Encoding is not allowed in HTTP/1.0")) }
            // RFC 9112 §6.1: Content-Length with Transfer-Encoding may be rejected; it is, since the two
            // disagreeing is the classic smuggling vector.
            if facts.contentLengthCount > 0 {
                return fail(.badRequest("Content-Length and Transfer-Encoding together"))
            }
            // RFC 9112 §6.3 (4): if chunked is not the final coding the length cannot be determined:
            // MUST respond 400 and close. §6.1: chunked MUST NOT be applied more than once.
            if facts.transferCodings == 0 || !facts.lastCodingIsChunked || facts.chunkedCount > 1 {
                return fail(.badRequest("Transfer-Encoding must end with a single chunked"))
            }
            // RFC 9112 §6.1: a transfer coding the server does not understand SHOULD get 501. The framing
            // is still known here (chunked is last), so this is "not implemented", not "bad request".
            if facts.transferCodings > 1 {
                return fail(HTTPParseError(status: .notImplemented, message: "Only chunked transfer coding is supported"))
            }
            chunked = true
        } else if facts.contentLengthCount > 1 {
            // RFC 9112 §6.3 (5): differing or repeated Content-Length values make the framing unreliable.
            return fail(.badRequest("More than one Content-Length header"))
        } else if facts.contentLengthMalformed {
            return fail(.badRequest("Malformed Content-Length"))
        } else if facts.contentLengthTooLarge {
            return fail(.payloadTooLarge(limit: limits.maxBodyBytes))
        }

        // RFC 9110 §10.1.1: a server MUST ignore 100-continue in an HTTP/1.0 request.
        expectsContinue = facts.expectContinue && version == .http1_1
        bodyStart = offset
        if chunked {
            lineStart = offset
            phase = .chunkSize
            return .head(request(body: []))
        }
        if facts.contentLength > 0 {
            phase = .fixedBody
            // A body already here has been read: the request is judged whole, with the same
            // checks in the same order, and the connection can go on.
            return available >= facts.contentLength ? nil : .head(request(body: []))
        }
        return complete()
    }

    // MARK: - Chunked body (RFC 9112 §7.1)

    private mutating func stepChunkSize(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseResult? {
        // Measured at the start of the line, so the verdict does not depend on how the bytes were split.
        if lineStart - bodyStart > limits.maxChunkedWireBytes {
            return fail(.payloadTooLarge(limit: limits.maxBodyBytes))
        }
        switch scanLine(bytes) {
        case .bareLF(let length):
            if length > limits.maxChunkLineBytes + 1 { return fail(.badRequest("Chunk size line too long")) }
            return fail(.badRequest("Bare LF in chunked framing; lines must end with CRLF"))
        case .incomplete(let partial):
            if partial > limits.maxChunkLineBytes + 1 { return fail(.badRequest("Chunk size line too long")) }
            return continueOrWait(bytesCount: bytes.count)
        case .line(let range):
            if range.count > limits.maxChunkLineBytes { return fail(.badRequest("Chunk size line too long")) }
            var index = range.lowerBound
            var size = 0
            while index < range.upperBound, let digit = ASCII.hexValue(bytes[index]) {
                // Saturate instead of overflowing; anything past the limit is rejected below.
                size = size > limits.maxBodyBytes || size > Int.max >> 5 ? size : size * 16 + digit
                index += 1
            }
            if index == range.lowerBound { return fail(.badRequest("Malformed chunk size")) }
            // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): ignored, but it
            // must start with ";" and hold no controls.
            while index < range.upperBound && ASCII.isWhitespace(bytes[index]) { index += 1 }
            if index < range.upperBound {
                guard bytes[index] == UInt8(ascii: ";") else { return fail(.badRequest("Malformed chunk size")) }
                for position in index..<range.upperBound
                where (bytes[position] < 0x20 && bytes[position] != ASCII.tab) || bytes[position] == 0x7F {
                    return fail(.badRequest("Control character in a chunk extension"))
                }
            }
            if size == 0 {
                phase = .trailers
                return nil
            }
            if size > limits.maxBodyBytes - body.count { return fail(.payloadTooLarge(limit: limits.maxBodyBytes)) }
            // Judge the whole chunk against the wire limit now, not at the next size line: a
            // declared size past what the transport will buffer would otherwise stall the
            // connection until the body deadline instead of answering 413 (found by fuzzing).
            if range.upperBound + 2 + size + 2 - bodyStart > limits.maxChunkedWireBytes {
                return fail(.payloadTooLarge(limit: limits.maxBodyBytes))
            }
            chunkRemaining = size
            phase = .chunkData
            return nil
        }
    }

    /// RFC 9112 §7.1.2: trailer fields are parsed like header fields and then discarded; they are
    /// never merged into the headers.
    private mutating func stepTrailer(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseResult? {
        switch scanLine(bytes) {
        case .bareLF(let length):
            if length >= 2 && trailerBytes + length + 1 > limits.maxHeaderBytes { return fail(.headersTooLarge) }
            return fail(.badRequest("Bare LF in the trailer section; lines must end with CRLF"))
        case .incomplete(let partial):
            if partial >= 2 && trailerBytes + partial + 1 > limits.maxHeaderBytes { return fail(.headersTooLarge) }
            return .needMoreData
        case .line(let range):
            if range.isEmpty { return complete() }
            trailerBytes += range.count + 2
            if trailerBytes > limits.maxHeaderBytes || trailerCount >= limits.maxHeaderCount {
                return fail(.headersTooLarge)
            }
            trailerCount += 1
            if case .failure(let error) = Self.parseFieldLine(bytes, range) { return fail(error) }
            return nil
        }
    }

    // MARK: - Helpers

    /// Finds the next line end from `offset`. Every LF must be preceded by CR (RFC 9112 §2.2: a bare LF
    /// may be accepted, but strict framing refuses it). A bare CR stays in the line and is refused by
    /// whatever parses the line.
    private mutating func scanLine(_ bytes: UnsafeBufferPointer<UInt8>) -> LineScan {
        var index = offset
        let end = bytes.count
        while index < end {
            if bytes[index] == ASCII.lf {
                guard index > lineStart && bytes[index - 1] == ASCII.cr else {
                    return .bareLF(length: index - lineStart)
                }
                let line = lineStart..<(index - 1)
                offset = index + 1
                lineStart = offset
                return .line(line)
            }
            index += 1
        }
        offset = end
        return .incomplete(partialLength: end - lineStart)
    }

    /// Comma-separated list elements with optional whitespace trimmed, empty ones skipped (RFC 9110 §5.6.1).
    private static func forEachListElement(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>) -> Void
    ) {
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound && bytes[end] != UInt8(ascii: ",") { end += 1 }
            var elementStart = start
            var elementEnd = end
            while elementStart < elementEnd && ASCII.isWhitespace(bytes[elementStart]) { elementStart += 1 }
            while elementEnd > elementStart && ASCII.isWhitespace(bytes[elementEnd - 1]) { elementEnd -= 1 }
            if elementStart < elementEnd { body(elementStart..<elementEnd) }
            start = end + 1
        }
    }

    /// `.sendContinue` once, if the client asked for it and has not started sending the body.
    private mutating func continueOrWait(bytesCount: Int) -> HTTPParseResult {
        if expectsContinue && !continueSignalled && bytesCount == bodyStart {
            continueSignalled = true
            return .sendContinue
        }
        return .needMoreData
    }

    private mutating func fail(_ error: HTTPParseError) -> HTTPParseResult {
        phase = .failed(error)
        return .error(error)
    }

    private mutating func complete() -> HTTPParseResult {
        let request = request(body: body)
        let consumed = offset
        self = HTTPRequestParser(limits: limits)
        return .request(request, consumed: consumed)
    }

    private func request(body: [UInt8]) -> HTTPRequest {
        // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
        let keepAlive =
            version == .http1_1
            ? !facts.connectionClose
            : facts.connectionKeepAlive && !facts.connectionClose
        return HTTPRequest(
            method: method, target: target, originForm: originForm, version: version, headers: headers,
            body: body, keepAlive: keepAlive)
    }
}
