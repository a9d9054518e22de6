import JSON

extension HTTPResponse {
    /// API.md: every response body is JSON with this content type, except 204.
    package static let jsonContentType = ("Content-Type", "application/json; charset=utf-8")

    /// A JSON response from already-encoded bytes.
    package static func json(_ status: HTTPStatus, body: [UInt8], headers: [(String, String)] = []) -> HTTPResponse {
        var response = json(status, body: body, reserving: headers.count)
        for (name, value) in headers { response.headers.add(name: name, value: value) }
        return response
    }

    /// A JSON response with one more field (a GET's `ETag`), without an array to hold it.
    package static func json(_ status: HTTPStatus, body: [UInt8], header: (String, String)) -> HTTPResponse {
        var response = json(status, body: body, reserving: 1)
        response.headers.add(name: header.0, value: header.1)
        return response
    }

    private static func json(_ status: HTTPStatus, body: [UInt8], reserving extra: Int) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: body)
        response.headers.reserveCapacity(1 + extra)
        response.headers.add(name: jsonContentType.0, value: jsonContentType.1)
        return response
    }

    /// A JSON response from a value.
    package static func json(_ status: HTTPStatus, _ value: JSONValue, headers: [(String, String)] = []) -> HTTPResponse {
        json(status, body: JSONWriter.encode(value), headers: headers)
    }

    /// 204: no body, no content type.
    package static let noContent = HTTPResponse(status: .noContent, body: [])
}
