/// Finds the members of a top-level JSON object without building values: each member's key
/// and the byte range it occupies. For text this service wrote itself (stored connection
/// bodies), where a full parse and render per row dominated start-up (issue 5's cold start).
/// Not a validator: it assumes well-formed JSON and returns `nil` when the shape surprises it.
public enum JSONMemberScanner {
    public struct Member: Sendable {
        public let key: String
        /// From the member's leading comma (or its key, for the first member) to the end of
        /// its value.
        public let range: Range<Int>
        /// The value alone.
        public let value: Range<Int>
    }

    public static func members(of bytes: [UInt8]) -> [Member]? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Cursor(bytes: buffer)
            return scanner.members()
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func members() -> [Member]? {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return nil }
            var members: [Member] = []
            skipSpace()
            if take(UInt8(ascii: "}")) { return members }
            while true {
                let start = members.isEmpty ? index : index - 1
                skipSpace()
                let keyStart = index
                guard skipString() else { return nil }
                guard let key = decodeKey(keyStart..<index) else { return nil }
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                let valueStart = index
                guard skipValue() else { return nil }
                members.append(Member(key: key, range: start..<index, value: valueStart..<index))
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}")) ? members : nil
            }
        }

        /// A key without escapes is its bytes; one with escapes goes through the parser.
        func decodeKey(_ range: Range<Int>) -> String? {
            let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
            if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
            return (try? JSONParser.parse(Array(bytes[range])))?.stringValue
        }

        /// Skips one value. A container is skipped in one flat pass that only tracks strings
        /// and brackets: each level's opener is a bit of `openers` (1 for `{`), so nesting is
        /// bounded by 64 = `JSONParser.defaultMaxDepth` and every closer must match its opener.
        mutating func skipValue() -> Bool {
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

        mutating func skipString() -> Bool {
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

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
    }
}
