/// A response as a handler builds it. The writer (`serialize`) owns `Content-Length` and `Connection`.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the connection after writing this response.
    public var closeConnection: Bool
    /// Who made the request, as the transport's log line names it (`admin`, a client id); `nil`
    /// before authentication. Never sent.
    public var actor: String?
    /// The route the request matched, as the application numbers its routes for the transport's
    /// metrics (`HTTPMetrics`; 0 is no route); `nil` counts as 0. Never sent.
    public var metricsRoute: Int?

    public init(
        status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        closeConnection: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }
}
