import Testing

@testable import HTTP
@testable import HTTPTransport

/// What the transport answers on its own, with no application behind it: Auth0's error shape.
@Suite struct TransportErrorTests {
    private let json = "Content-Type: application/json; charset=utf-8"

    private func fields(_ headers: HTTPHeaders) -> [String] {
        headers.map { "\($0.name): \($0.value)" }
    }

    private func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    @Test func theTransportsOwnAnswersAreAuth0Shaped() {
        let tooLarge = HTTPParseError.payloadTooLarge(limit: 10).response
        #expect(tooLarge.status == .payloadTooLarge)
        #expect(fields(tooLarge.headers) == [json])
        #expect(
            text(tooLarge)
                == #"{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 10"}"#
        )
        let busy = TransportError.tooManyConnections.response
        #expect(fields(busy.headers) == [json, "Retry-After: 1"])
        #expect(
            text(busy)
                == #"{"statusCode":503,"error":"Service Unavailable","message":"Too many open connections; try again later"}"#)
        #expect(
            text(TransportError.requestTimeout.response) == #"{"statusCode":408,"error":"Request Timeout","message":"Request Timeout"}"#)
    }
}
