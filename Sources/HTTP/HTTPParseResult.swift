/// One step of `HTTPRequestParser.parse`.
public enum HTTPParseResult: Sendable {
    /// The bytes so far are a valid prefix; call again with the same bytes plus more.
    case needMoreData
    /// The head of a request with a body is complete and the body has not all arrived: the
    /// transport may answer from the head alone and close (API.md: a request with a missing or
    /// invalid token is refused before its body is read). `request.body` is empty. Returned at
    /// most once per request, before `.sendContinue`, and not when the whole `Content-Length`
    /// body came with the head; call again with the same bytes (plus more) to read the body.
    case head(HTTPRequest)
    /// The head carried `Expect: 100-continue` and the body has not started: write
    /// `HTTP/1.1 100 Continue` now, then keep feeding bytes. Returned at most once per request.
    case sendContinue
    /// A complete request occupying the first `consumed` bytes; the parser is ready for the next one.
    case request(HTTPRequest, consumed: Int)
    /// The input is not acceptable; answer `error.status` and close. The parser stays failed.
    case error(HTTPParseError)
}
