/// Builds one log line into bytes, in either `LogFormat`: the request lines of the transport and
/// the server's other lines (`Log`) share it, so both formats stay the same everywhere.
///
/// Text: `<ts> <level> <fields, space-separated>`; JSON: `{"ts":…,"level":…,<fields>}`. Values
/// are visible ASCII or escaped, so a line is always one line.
struct LogLine {
    let format: LogFormat
    private(set) var bytes: [UInt8]

    /// Starts a line with its timestamp (`2026-12-02T10:00:00.123Z`, UTC) and level.
    init(format: LogFormat, timestamp: some Collection<UInt8>, level: StaticString, into buffer: [UInt8] = []) {
        self.format = format
        bytes = buffer
        switch format {
        case .text:
            bytes.append(contentsOf: timestamp)
            append(" ")
            append(level)
        case .json:
            append("{\"ts\":\"")
            bytes.append(contentsOf: timestamp)
            append("\",\"level\":\"")
            append(level)
            append("\"")
        }
    }

    /// A string field: in text its value alone (`-` when empty), in JSON `"key":"value"`.
    mutating func add(_ key: StaticString, _ value: String) {
        var value = value
        value.withUTF8 { add(key, utf8: $0) }
    }

    mutating func add(_ key: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        switch format {
        case .text:
            append(" ")
            if value.isEmpty {
                append("-")
            } else {
                for byte in value { bytes.append(Self.isVisible(byte) ? byte : UInt8(ascii: "?")) }
            }
        case .json:
            appendKey(key)
            append("\"")
            for byte in value { appendEscaped(byte) }
            append("\"")
        }
    }

    /// A message in text (the rest of the line, as written) or `"msg":"…"` in JSON.
    mutating func addMessage(_ message: String) {
        switch format {
        case .text:
            append(" ")
            for byte in message.utf8 { bytes.append(byte == 0x0A || byte == 0x0D ? UInt8(ascii: " ") : byte) }
        case .json:
            appendKey("msg")
            append("\"")
            for byte in message.utf8 { appendEscaped(byte) }
            append("\"")
        }
    }

    /// An integer field: `value` in text, or `key=value` when `labelled` (for lines whose fields
    /// are not positional); `"key":value` in JSON.
    mutating func add(_ key: StaticString, _ value: Int, suffix: StaticString = "", labelled: Bool = false) {
        switch format {
        case .text:
            append(" ")
            if labelled {
                append(key)
                append("=")
            }
            appendDecimal(value)
            append(suffix)
        case .json:
            appendKey(key)
            appendDecimal(value)
        }
    }

    /// A duration in milliseconds with three decimals (microsecond resolution).
    mutating func addMilliseconds(_ key: StaticString, nanoseconds: UInt64) {
        let micros = Int(min(nanoseconds / 1000, UInt64(Int.max)))
        switch format {
        case .text: append(" ")
        case .json: appendKey(key)
        }
        appendDecimal(micros / 1000)
        append(".")
        let fraction = micros % 1000
        if fraction < 100 { append("0") }
        if fraction < 10 { append("0") }
        appendDecimal(fraction)
        if format == .text { append("ms") }
    }

    /// Closes the line (`}` in JSON) and ends it with a newline.
    mutating func finish() {
        if format == .json { append("}") }
        append("\n")
    }

    private mutating func appendKey(_ key: StaticString) {
        append(",\"")
        append(key)
        append("\":")
    }

    private static func isVisible(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// RFC 8259 §7: quote, backslash and control characters escaped; other bytes as they are.
    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(byte)
        case 0..<0x20, 0x7F:
            append("\\u00")
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0xF)])
        default:
            bytes.append(byte)
        }
    }

    private mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            append("-")
            appendDecimal(0 - value)
            return
        }
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
