@testable import HTTP

/// What a parser made of a byte stream, driven the way the transport drives it.
struct ParseOutcome {
    var requests: [HTTPRequest] = []
    /// The heads announced (`.head`) before their bodies were read.
    var heads: [HTTPRequest] = []
    var error: HTTPParseError?
    var continues = 0
    /// Bytes left unconsumed when the parser asked for more.
    var leftover = 0

    /// A comparable summary, to check that feeding bytes whole or one at a time gives the same result.
    var summary: String {
        let described = requests.map {
            "\($0.method.rawValue) \($0.target) \($0.path) \($0.query ?? "-") \($0.version) "
                + "\($0.headers.map { "\($0.name)=\($0.value)" }) \($0.body) \($0.keepAlive)"
        }
        // After an error the connection is closed, so what was left unread does not matter.
        return "\(described) " + (error.map { "error=\($0)" } ?? "leftover=\(leftover)")
    }
}

enum ParserDriver {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Feeds all of `input` at once, consuming requests as the transport does.
    static func whole(_ input: [UInt8], limits: ParserLimits = ParserLimits()) -> ParseOutcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome()
        var start = 0
        drain(&parser, input, &start, &outcome)
        return outcome
    }

    static func whole(_ text: String, limits: ParserLimits = ParserLimits()) -> ParseOutcome {
        whole(bytes(text), limits: limits)
    }

    /// Feeds `input` in pieces of `step` bytes (1 = byte by byte), appending to the same buffer.
    static func incremental(_ input: [UInt8], step: Int = 1, limits: ParserLimits = ParserLimits()) -> ParseOutcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome()
        var buffer: [UInt8] = []
        var start = 0
        var position = 0
        while position < input.count && outcome.error == nil {
            let end = min(input.count, position + step)
            buffer.append(contentsOf: input[position..<end])
            position = end
            drain(&parser, buffer, &start, &outcome)
        }
        return outcome
    }

    private static func drain(
        _ parser: inout HTTPRequestParser, _ buffer: [UInt8], _ start: inout Int, _ outcome: inout ParseOutcome
    ) {
        while outcome.error == nil {
            switch parser.parse(buffer[start...]) {
            case .needMoreData:
                outcome.leftover = buffer.count - start
                return
            case .head(let head):
                outcome.heads.append(head)
            case .sendContinue:
                outcome.continues += 1
            case .request(let request, let consumed):
                outcome.requests.append(request)
                start += consumed
            case .error(let error):
                outcome.error = error
            }
        }
    }
}
