import Testing

@testable import JSON

/// The eight-bytes-at-a-time scans of the parser and the writer must find exactly the bytes a
/// byte-by-byte scan finds, wherever they sit in a word and whatever follows them.
@Suite struct ByteWordTests {
    /// Every byte value at every offset of a word of plain bytes, alone and followed by another
    /// byte that needs an escape (whose borrow must not move the first one).
    @Test func flagsTheFirstByteThatNeedsAnEscapeOrIsNotASCII() {
        for value in 0...255 {
            let byte = UInt8(value)
            let escaped = byte < 0x20 || byte == 0x22 || byte == 0x5C
            for offset in 0..<8 {
                for follower in [UInt8(ascii: "a"), 0x00, 0x22, 0xFF] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                    bytes[offset] = byte
                    if offset < 7 { bytes[offset + 1] = follower }
                    let word = bytes.withUnsafeBufferPointer { ByteWord($0, at: 0) }
                    let followerFlagged = offset < 7 && follower != UInt8(ascii: "a")
                    let expectEscape = escaped ? offset : (followerFlagged && follower != 0xFF ? offset + 1 : nil)
                    let expectEither = escaped || byte >= 0x80 ? offset : (followerFlagged ? offset + 1 : nil)
                    let escape = word.needingEscape
                    let either = word.needingEscapeOrNotASCII
                    #expect((escape == 0 ? nil : ByteWord.first(escape)) == expectEscape, "byte \(value) at \(offset)")
                    #expect((either == 0 ? nil : ByteWord.first(either)) == expectEither, "byte \(value) at \(offset)")
                }
            }
        }
    }

    /// Strings of every length up to 24 with one byte to escape (or one multi-byte character)
    /// at every offset: the writer escapes as a byte-by-byte reference does, and the parser
    /// reads back what was written.
    @Test func writerAndParserAgreeWithAByteByByteScanAtEveryOffset() throws {
        for special in ["\"", "\\", "\u{0}", "\n", "\u{1F}", "é", "😀"] {
            for length in 0...24 {
                for offset in 0...length {
                    let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: length - offset)
                    let encoded = JSONWriter.encode(.string(text))
                    #expect(encoded == Self.referenceEncoding(text), "\(special.debugDescription) at \(offset) of \(length)")
                    #expect(try JSONParser.parse(encoded) == .string(text))
                }
            }
        }
    }

    /// A raw control character is refused wherever it sits in a string.
    @Test func parserRefusesARawControlCharacterAtEveryOffset() {
        for offset in 0...20 {
            let bytes = Array(("\"" + String(repeating: "a", count: offset)).utf8) + [0x01] + Array("bcdefghijk\"".utf8)
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes) }
        }
    }

    private static func referenceEncoding(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes += Array(#"\""#.utf8)
            case 0x5C: bytes += Array(#"\\"#.utf8)
            case 0x0A: bytes += Array(#"\n"#.utf8)
            case 0x0D: bytes += Array(#"\r"#.utf8)
            case 0x09: bytes += Array(#"\t"#.utf8)
            case 0x08: bytes += Array(#"\b"#.utf8)
            case 0x0C: bytes += Array(#"\f"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        return bytes + [0x22]
    }
}
