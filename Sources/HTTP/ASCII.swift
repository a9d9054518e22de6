/// Byte classes from RFC 9110 §5.6 and RFC 5234 appendix B.1, shared by the parser and the writer.
@usableFromInline package enum ASCII {
    package static let cr: UInt8 = 0x0D
    package static let lf: UInt8 = 0x0A
    package static let space: UInt8 = 0x20
    package static let tab: UInt8 = 0x09
    package static let colon: UInt8 = 0x3A

    @inlinable package static func lower(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    /// / DIGIT / ALPHA (RFC 9110 §5.6.2).
    package static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E:
            return true
        default: return false
        }
    }

    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    package static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// Case-insensitive equality of a byte run with a lowercase ASCII literal.
    package static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ literal: StaticString)
        -> Bool
    {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let literalBytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        var index = range.lowerBound
        for expected in literalBytes {
            guard lower(bytes[index]) == expected else { return false }
            index += 1
        }
        return true
    }
}
