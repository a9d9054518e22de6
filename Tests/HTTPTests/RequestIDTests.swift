import Testing

@testable import HTTP

/// Request ids (API.md "Operations"): kept from the client when usable, made otherwise, sent back.
@Suite struct RequestIDTests {
    @Test func aClientsRequestIDIsKeptOnlyWhenUsable() {
        #expect(RequestID(given: "abc-123")?.description == "abc-123")
        #expect(RequestID(given: String(repeating: "x", count: 128)) != nil)
        #expect(RequestID(given: String(repeating: "x", count: 129)) == nil)
        #expect(RequestID(given: "") == nil)
        #expect(RequestID(given: "a b") == nil)
        #expect(RequestID(given: "line\nbreak") == nil)
        #expect(RequestID(given: "caf\u{E9}") == nil)
    }

    @Test func madeRequestIDsNameProcessLoopAndSerial() {
        let first = RequestID(loop: 1, serial: 42).description
        let parts = first.split(separator: "-")
        #expect(parts.count == 3)
        #expect(parts[0].count == 8 && parts[0].allSatisfy(\.isHexDigit))
        #expect(parts[1] == "1" && parts[2] == "000042")
        #expect(RequestID(loop: 0, serial: 1_234_567).description.hasSuffix("-0-1234567"))
        #expect(RequestID(loop: 1, serial: 42).description == first)
    }

    @Test func everyResponseCarriesItsRequestID() {
        var bytes: [UInt8] = []
        HTTPResponse(status: .noContent).serialize(into: &bytes, close: false, requestID: RequestID(given: "rid-7"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\r\nX-Request-Id: rid-7\r\n"))
    }
}
