/// One step of `HTTPRequestParser.parse`.
public enum HTTPParseResult: Sendable {
    /// The bytes so far are a valid prefix; call again with the same bytes plus more.
    case needMoreData
    /// The head carried `Expect: 100-continue` and the body has not started: write
    /// `HTTP/1.1 100 Continue` now, then keep feeding bytes. Returned at most once per request.
    case sendContinue
    /// A complete request occupying the first `consumed` bytes; the parser is ready for the next one.
    case request(HTTPRequest, consumed: Int)
    /// The input is not acceptable; answer `error.status` and close. The parser stays failed.
    case error(HTTPParseError)
}
