/// A complete, framed request: the body has been read and de-chunked.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The raw request-target, exactly as sent.
    public var target: String
    /// The target up to `?`, not percent-decoded (routing decodes per segment).
    public var path: String
    /// The raw text after the first `?`, if there is one.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whether the connection may carry another request after this one (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// The id the transport logs this request under (e.g. `r1-000123`); empty outside a server.
    public var requestID: String

    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        keepAlive: Bool = true,
        requestID: String = ""
    ) {
        self.init(
            method: method, target: target, originForm: target, version: version, headers: headers, body: body,
            keepAlive: keepAlive, requestID: requestID)
    }

    /// `originForm` is the path-and-query part: the target itself, or what follows the authority of an
    /// absolute-form target (RFC 9112 §3.2.2).
    init(
        method: HTTPMethod, target: String, originForm: String, version: HTTPVersion, headers: HTTPHeaders,
        body: [UInt8], keepAlive: Bool, requestID: String = ""
    ) {
        self.method = method
        self.target = target
        if let question = originForm.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(originForm[..<question])
            query = String(originForm[originForm.index(after: question)...])
        } else {
            path = originForm
            query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
        self.requestID = requestID
    }
}
