import Testing

@testable import HTTP

@Suite struct HTTPResponseTests {
    private func wire(_ response: HTTPResponse, close: Bool = false, omitBody: Bool = false) -> String {
        var buffer: [UInt8] = []
        response.serialize(into: &buffer, close: close, omitBody: omitBody, date: Array("Thu, 26 Nov 2026 20:00:00 GMT".utf8))
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 1000, 65_536, 1_234_567])
    func contentLengthIsTheBodyLengthInDecimal(length: Int) {
        let response = HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(ascii: "x"), count: length))
        let text = wire(response)
        #expect(text.contains("\r\nContent-Length: \(length)\r\n"))
        #expect(text.hasSuffix("\r\n\r\n" + String(repeating: "x", count: length)))
    }

    @Test func statusLineDateHeadersAndCloseInOrder() {
        var response = HTTPResponse(status: .created, body: Array("{}".utf8))
        response.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        response.headers.add(name: "content-length", value: "999")  // the writer owns framing
        #expect(
            wire(response, close: true)
                == "HTTP/1.1 201 Created\r\nDate: Thu, 26 Nov 2026 20:00:00 GMT\r\n"
                + "Content-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    }

    @Test func headKeepsTheLengthAndSendsNoBody() {
        let text = wire(HTTPResponse(status: .ok, body: Array("hello".utf8)), omitBody: true)
        #expect(text.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    @Test func noContentHasNoLength() {
        #expect(!wire(HTTPResponse(status: .noContent)).contains("Content-Length"))
    }
}
