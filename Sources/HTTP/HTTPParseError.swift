import JSON

/// Why a request could not be framed. Every one is answered with an Auth0-shaped body and the
/// connection is closed, since the framing of anything after it cannot be trusted.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    /// Safe to send and to log: never echoes request bytes.
    public let message: String

    public init(status: HTTPStatus, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(message)" }

    static func badRequest(_ message: String) -> HTTPParseError {
        HTTPParseError(status: .badRequest, message: message)
    }

    static let uriTooLong = HTTPParseError(status: .uriTooLong, message: "URI Too Long")
    static let headersTooLarge = HTTPParseError(
        status: .requestHeaderFieldsTooLarge, message: "Request Header Fields Too Large")
    static let versionNotSupported = HTTPParseError(
        status: .httpVersionNotSupported, message: "HTTP Version Not Supported")

    /// Auth0's wording for an oversized payload.
    static func payloadTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(
            status: .payloadTooLarge, message: "Payload content length greater than maximum allowed: \(limit)")
    }
}

extension HTTPParseError: HTTPResponseError {
    package var body: JSONObject { Self.auth0Body(status, message: message) }
}
