extension HTTPResponse {
    /// The interim response to `Expect: 100-continue` (RFC 9110 §10.1.1).
    package static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends the status line, headers and body to `buffer`, so the transport sends a response with
    /// one write. Always `HTTP/1.1`: a server sends its highest minor version (RFC 9110 §6.2).
    ///
    /// - Parameters:
    ///   - close: add `Connection: close` (RFC 9112 §9.6).
    ///   - keepAlive10: add `Connection: keep-alive` for an HTTP/1.0 client that asked to persist (§9.3).
    ///   - omitBody: a response to HEAD: keep `Content-Length`, send no content (RFC 9110 §9.3.2).
    ///   - date: a preformatted IMF-fixdate for the `Date` header, if the caller keeps a clock.
    ///   - requestID: sent as `X-Request-Id` (API.md "Operations": every response carries it).
    package func serialize(
        into buffer: inout [UInt8], close: Bool, keepAlive10: Bool = false, omitBody: Bool = false,
        date: [UInt8]? = nil, requestID: RequestID? = nil
    ) {
        buffer.reserveCapacity(buffer.count + 128 + body.count + headers.count * 40)
        append("HTTP/1.1 ", to: &buffer)
        appendDecimal(status.code, to: &buffer)
        buffer.append(ASCII.space)
        buffer.append(contentsOf: status.reason.utf8)
        appendCRLF(to: &buffer)
        if let date {
            append("Date: ", to: &buffer)
            buffer.append(contentsOf: date)
            appendCRLF(to: &buffer)
        }
        if let requestID {
            append("X-Request-Id: ", to: &buffer)
            requestID.append(to: &buffer)
            appendCRLF(to: &buffer)
        }
        for field in headers where !Self.isWriterOwned(field.name) {
            append(field.name, to: &buffer)
            append(": ", to: &buffer)
            append(field.value, to: &buffer)
            appendCRLF(to: &buffer)
        }
        if status.allowsBody {
            append("Content-Length: ", to: &buffer)
            appendDecimal(body.count, to: &buffer)
            appendCRLF(to: &buffer)
        }
        if close {
            append("Connection: close\r\n", to: &buffer)
        } else if keepAlive10 {
            append("Connection: keep-alive\r\n", to: &buffer)
        }
        appendCRLF(to: &buffer)
        if status.allowsBody && !omitBody {
            buffer.append(contentsOf: body)
        }
    }

    /// Headers whose values only the writer knows; a handler's copies are dropped rather than
    /// risking a framing that disagrees with the body.
    private static func isWriterOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return HTTPHeaders.namesEqual(name, "Date")
        case 10: return HTTPHeaders.namesEqual(name, "Connection")
        case 14: return HTTPHeaders.namesEqual(name, "Content-Length")
        case 17: return HTTPHeaders.namesEqual(name, "Transfer-Encoding")
        default: return false
        }
    }

    private func append(_ text: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// From the string's contiguous bytes: `append(contentsOf: text.utf8)` cost ~170
    /// instructions a call here, several per response (callgrind).
    private func append(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    private func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(ASCII.cr)
        buffer.append(ASCII.lf)
    }

    /// `value` (never negative here: a status code or a length) in decimal, without a `String`.
    private func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = max(value, 0)
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
