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
            var walker = Walker(buffer: buffer, index: start)
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
        let buffer: UnsafeBufferPointer<UInt8>
        var index: Int

        /// At a value: moves to the value of member `key` (`true`), or stays when the value
        /// is not an object or has no such member (`false`); `nil` for an escaped key.
        mutating func moveToMember(_ key: String) -> Bool? {
            let container = index
            guard buffer[index] == UInt8(ascii: "{") else { return false }
            index += 1
            skipWhitespace()
            while buffer[index] == UInt8(ascii: "\"") {
                let keyStart = index + 1
                index = keyStart
                while index < buffer.count && buffer[index] != UInt8(ascii: "\"") {
                    if buffer[index] == UInt8(ascii: "\\") { return nil }
                    index += 1
                }
                let matches = Self.isKey(UnsafeBufferPointer(rebasing: buffer[keyStart..<index]), key)
                index += 1
                skipWhitespace()
                index += 1  // ':'
                skipWhitespace()
                if matches { return true }
                skipValue()
                skipWhitespace()
                guard buffer[index] == UInt8(ascii: ",") else { break }
                index += 1
                skipWhitespace()
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
            skipWhitespace()
            guard buffer[index] != UInt8(ascii: "]") else {
                index = container
                return false
            }
            for _ in 0..<position {
                skipValue()
                skipWhitespace()
                guard buffer[index] == UInt8(ascii: ",") else {
                    index = container
                    return false
                }
                index += 1
                skipWhitespace()
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

        /// Past one value (strings skipped whole, brackets inside them ignored).
        private mutating func skipValue() {
            var depth = 0
            while index < buffer.count {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\"") {
                    skipString()
                    if depth == 0 { return }
                    continue
                }
                if byte | 0x20 == UInt8(ascii: "{") {
                    depth += 1
                } else if byte | 0x20 == UInt8(ascii: "}") {
                    // At depth 0 this closes the container around a scalar: the scalar ended.
                    if depth == 0 { return }
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return
                    }
                } else if depth == 0 && (byte == UInt8(ascii: ",") || Self.isWhitespace(byte)) {
                    return
                }
                index += 1
            }
        }

        private mutating func skipString() {
            index += 1
            while index < buffer.count && buffer[index] != UInt8(ascii: "\"") {
                index += buffer[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index += 1
        }

        private mutating func skipWhitespace() {
            while index < buffer.count && Self.isWhitespace(buffer[index]) { index += 1 }
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        }
    }
}
