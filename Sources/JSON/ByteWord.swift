/// Eight bytes of text tested at once, for the runs of plain string bytes that the parser and
/// the writer pass over (most of a body's bytes). The tests are the classic SWAR ones ("Bit
/// Twiddling Hacks": determine if a word has a byte less than n, or equal to n). A borrow only
/// runs upward from a byte that passes, so the lowest flagged byte is exactly the first one that
/// passes (little-endian: the lowest byte is the first in memory); bytes above it may be flagged
/// wrongly, so a caller takes only the first.
struct ByteWord {
    let bits: UInt64

    /// The eight bytes at `offset`; the caller checked that they are in `bytes`.
    @inline(__always)
    init(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) {
        bits = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Flags (0x80) bytes below 0x20 (control characters, RFC 8259 §7), quotes and backslashes:
    /// what a JSON string cannot hold as it is. Zero when there is none.
    @inline(__always)
    var needingEscape: UInt64 {
        let control = (bits &- Self.ones &* 0x20) & ~bits
        let quote = bits ^ (Self.ones &* 0x22)
        let backslash = bits ^ (Self.ones &* 0x5C)
        return (control | ((quote &- Self.ones) & ~quote) | ((backslash &- Self.ones) & ~backslash)) & Self.highs
    }

    /// `needingEscape`, and the bytes that are not ASCII.
    @inline(__always)
    var needingEscapeOrNotASCII: UInt64 {
        needingEscape | (bits & Self.highs)
    }

    /// The offset (0–7) of the first flagged byte of a non-zero `flags`.
    @inline(__always)
    static func first(_ flags: UInt64) -> Int {
        flags.trailingZeroBitCount >> 3
    }
}
