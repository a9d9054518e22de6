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
        bytes.withUnsafeBufferPointer { buffer in members(of: buffer) }
    }

    /// The same over bytes in place (a stored row's UTF-8, without copying it first).
    public static func members(of buffer: UnsafeBufferPointer<UInt8>) -> [Member]? {
        var cursor = JSONSkipCursor(bytes: buffer)
        return members(&cursor)
    }

    private static func members(_ cursor: inout JSONSkipCursor) -> [Member]? {
        cursor.skipSpace()
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var members: [Member] = []
        cursor.skipSpace()
        if cursor.take(UInt8(ascii: "}")) { return members }
        while true {
            let start = members.isEmpty ? cursor.index : cursor.index - 1
            cursor.skipSpace()
            let keyStart = cursor.index
            guard cursor.skipString() else { return nil }
            guard let key = decodeKey(UnsafeBufferPointer(rebasing: cursor.bytes[keyStart..<cursor.index])) else { return nil }
            cursor.skipSpace()
            guard cursor.take(UInt8(ascii: ":")) else { return nil }
            cursor.skipSpace()
            let valueStart = cursor.index
            guard cursor.skipValue() else { return nil }
            members.append(Member(key: key, range: start..<cursor.index, value: valueStart..<cursor.index))
            cursor.skipSpace()
            if cursor.take(UInt8(ascii: ",")) { continue }
            return cursor.take(UInt8(ascii: "}")) ? members : nil
        }
    }

    /// A key (with its quotes) without escapes is its bytes; one with escapes goes through
    /// the parser.
    private static func decodeKey(_ quoted: UnsafeBufferPointer<UInt8>) -> String? {
        let inner = UnsafeBufferPointer(rebasing: quoted[(quoted.startIndex + 1)..<(quoted.endIndex - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        return (try? JSONParser.parse(Array(quoted)))?.stringValue
    }
}
