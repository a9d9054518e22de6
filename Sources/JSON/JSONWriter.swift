/// Serializes `JSONValue` into compact UTF-8 bytes, members in stored order.
///
/// Escapes only what RFC 8259 §7 requires (quote, backslash, control characters), so
/// text round-trips exactly, `\u0000` included.
///
/// The output grows in a buffer of its own rather than an `Array`: every byte and run
/// appended to an array paid its uniqueness and capacity checks, which made rendering a
/// stored connection cost ~56k instructions (callgrind, issue 5). Non-copyable, so the
/// buffer has exactly one owner, which frees it.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0

    public init(reservingCapacity capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// A copy of the bytes written, exactly as many as were written.
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// The compact encoding of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    /// The compact encoding of `value` as a `String`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let number): appendUTF8(of: number.literal)
        case .string(let text): writeString(text)
        case .array(let elements):
            append(UInt8(ascii: "["))
            // Read in place: iterating copies retained and released every element.
            elements.withUnsafeBufferPointer { elements in
                for index in elements.indices {
                    if index > 0 { append(UInt8(ascii: ",")) }
                    write(elements[index])
                }
            }
            append(UInt8(ascii: "]"))
        case .object(let object):
            append(UInt8(ascii: "{"))
            object.members.withUnsafeBufferPointer { members in
                for index in members.indices {
                    if index > 0 { append(UInt8(ascii: ",")) }
                    writeString(members[index].key)
                    append(UInt8(ascii: ":"))
                    write(members[index].value)
                }
            }
            append(UInt8(ascii: "}"))
        }
    }

    /// Appends text that is already JSON, or the structure around it (a bracket, a comma).
    /// Not generic on purpose: called from another module, a generic version ran
    /// unspecialized, ~1,700 instructions for one byte (callgrind).
    public mutating func writeRaw(_ text: StaticString) {
        append(text)
    }

    /// Appends one byte of JSON structure.
    public mutating func writeRaw(_ byte: UInt8) {
        append(byte)
    }

    public mutating func writeString(_ text: String) {
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { appendQuoted($0) }
        if written == nil {
            // Bridged or lazily decoded text (never built by this service): copy it first.
            Array(text.utf8).withUnsafeBufferPointer { appendQuoted($0) }
        }
    }

    /// `utf8` in quotes, escaped: runs that need no escape are copied whole.
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        reserve(utf8.count + 2)
        append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = utf8.count
        // Eight bytes at a time while eight are left, each time up to the first byte that needs
        // an escape; then the rest byte by byte.
        while index + 8 <= count {
            let flags = ByteWord(utf8, at: index).needingEscape
            if flags == 0 {
                index += 8
                continue
            }
            let position = index + ByteWord.first(flags)
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
            appendEscape(utf8[position])
            runStart = position + 1
            index = position + 1
        }
        while index < count {
            let byte = utf8[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 {
                append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(byte)
                runStart = index + 1
            }
            index += 1
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case 0x22: append("\\\"")
        case 0x5C: append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            append("\\u00")
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }

    // MARK: - The buffer

    private mutating func appendUTF8(of text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if copied == nil { Array(text.utf8).withUnsafeBufferPointer { append($0) } }
    }

    private mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, run.count > 0 else { return }
        reserve(run.count)
        (base + count).update(from: source, count: run.count)
        count += run.count
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
