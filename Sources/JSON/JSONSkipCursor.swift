/// A position in JSON text that moves past whitespace, strings and whole values without
/// building them: what the start-up member scanner and lint's path finder walk with.
/// Not a validator beyond what skipping needs (closers must match their openers, nesting is
/// bounded); every skip answers `false` where the text does not allow it.
public struct JSONSkipCursor {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var index: Int

    public init(bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// Skips one value. A container is skipped in one flat pass that only tracks strings
    /// and brackets: each level's opener is a bit of `openers` (1 for `{`), so nesting is
    /// bounded by 64 = `JSONParser.defaultMaxDepth` and every closer must match its opener.
    public mutating func skipValue() -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var openers: UInt64 = 0
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard depth < JSONParser.defaultMaxDepth else { return false }
                    openers = openers << 1 | (bytes[index] == UInt8(ascii: "{") ? 1 : 0)
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard (openers & 1 == 1) == (bytes[index] == UInt8(ascii: "}")) else { return false }
                    openers >>= 1
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default:
                    break
                }
                index += 1
            }
            return false
        default:
            // Numbers and literals run to the next structural byte.
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return index > start
                default: index += 1
                }
            }
            return index > start
        }
    }

    public mutating func skipString() -> Bool {
        guard take(UInt8(ascii: "\"")) else { return false }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return false
    }

    public mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    public mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }
}
