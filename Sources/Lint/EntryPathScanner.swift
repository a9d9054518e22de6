import JSON
import Validation

/// Finds where the value at a path starts inside one connection's bytes by walking just
/// that path (members before it are skipped, not parsed), so locating a finding costs a
/// short scan instead of recording a position for every value of the connection.
///
/// The bytes are ones `JSONParser` has accepted. A key spelled with an escape sends the
/// caller back to the parser, which decodes it.
enum EntryPathScanner {
    /// The offset of the value at `path` in the value starting at `start`, or of its
    /// nearest present ancestor (as `JSONPositions.position(of:)` answers); `nil` when
    /// an escaped key is met on the way.
    static func offset(of path: [PathSegment], in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var walker = Walker(cursor: JSONSkipCursor(bytes: buffer, index: start))
            for segment in path {
                let container = walker.index
                let found: Bool?
                switch segment {
                case .key(let key): found = walker.moveToMember(key)
                case .index(let position): found = walker.moveToElement(position)
                }
                guard let found else { return nil }
                if !found { return container }
            }
            return walker.index
        }
    }

    private struct Walker {
        var cursor: JSONSkipCursor
        var buffer: UnsafeBufferPointer<UInt8> { cursor.bytes }
        var index: Int {
            get { cursor.index }
            set { cursor.index = newValue }
        }

        /// At a value: moves to the value of member `key` (`true`), or stays when the value
        /// is not an object or has no such member (`false`); `nil` for an escaped key.
        mutating func moveToMember(_ key: String) -> Bool? {
            let container = index
            guard buffer[index] == UInt8(ascii: "{") else { return false }
            index += 1
            cursor.skipSpace()
            while buffer[index] == UInt8(ascii: "\"") {
                let keyStart = index + 1
                index = keyStart
                while index < buffer.count && buffer[index] != UInt8(ascii: "\"") {
                    if buffer[index] == UInt8(ascii: "\\") { return nil }
                    index += 1
                }
                let matches = Self.isKey(UnsafeBufferPointer(rebasing: buffer[keyStart..<index]), key)
                index += 1
                cursor.skipSpace()
                index += 1  // ':'
                cursor.skipSpace()
                if matches { return true }
                _ = cursor.skipValue()
                cursor.skipSpace()
                guard buffer[index] == UInt8(ascii: ",") else { break }
                index += 1
                cursor.skipSpace()
            }
            index = container
            return false
        }

        /// At a value: moves to element `position` (`true`), or stays when the value is not
        /// an array or is shorter (`false`).
        mutating func moveToElement(_ position: Int) -> Bool {
            let container = index
            guard buffer[index] == UInt8(ascii: "[") else { return false }
            index += 1
            cursor.skipSpace()
            guard buffer[index] != UInt8(ascii: "]") else {
                index = container
                return false
            }
            for _ in 0..<position {
                _ = cursor.skipValue()
                cursor.skipSpace()
                guard buffer[index] == UInt8(ascii: ",") else {
                    index = container
                    return false
                }
                index += 1
                cursor.skipSpace()
            }
            return true
        }

        /// Keys match by their bytes (RFC 8259 §8.3), as `JSONObject` and the parser's
        /// duplicate check match them, so the first matching key is the member. Bytes that
        /// are not valid UTF-8 were replaced by the parser: those compare as it decoded them.
        private static func isKey(_ raw: UnsafeBufferPointer<UInt8>, _ key: String) -> Bool {
            if key.utf8.elementsEqual(raw) { return true }
            if raw.allSatisfy({ $0 < 0x80 }) { return false }
            return String(decoding: raw, as: UTF8.self).utf8.elementsEqual(key.utf8)
        }
    }
}
