import JSON

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
    /// The route template the request matched, for the transport's metrics; never sent.
    public var route: RouteTemplate?

    public init(
        status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        closeConnection: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// The Auth0 error body: `{"statusCode":N,"error":"<reason>","message":"...","errorCode":"..."}`,
    /// `errorCode` only when given.
    public static func auth0Error(
        _ status: HTTPStatus, message: String, errorCode: String? = nil, headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var object: JSONObject = [
            "statusCode": .int(status.code),
            "error": .string(status.reason),
            "message": .string(message),
        ]
        if let errorCode { object["errorCode"] = .string(errorCode) }
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: JSONWriter.encode(.object(object)))
    }

    /// The answer to a request that could not be framed; always closes.
    static func parseFailure(_ error: HTTPParseError) -> HTTPResponse {
        var response = auth0Error(error.status, message: error.message)
        response.closeConnection = true
        return response
    }
}
