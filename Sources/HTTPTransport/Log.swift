import Synchronization

/// The server's own lines on stderr (start, stop, warnings, internal errors), in the format
/// `serve --log-format` chose; request lines are written, batched, by the transport in the same
/// format. Callers pass messages that never contain tokens, secrets, bodies or bound SQL values
/// (STYLE.md).
public enum Log {
    private static let jsonFormat = Atomic<Bool>(false)

    /// The format of every line from now on; set once at start, before any thread logs.
    public static var format: LogFormat {
        get { jsonFormat.load(ordering: .relaxed) ? .json : .text }
        set { jsonFormat.store(newValue == .json, ordering: .relaxed) }
    }

    public static func info(_ message: String, _ fields: (key: StaticString, value: Int)...) {
        write("info", message, fields)
    }

    public static func warning(_ message: String, _ fields: (key: StaticString, value: Int)...) {
        write("warn", message, fields)
    }

    public static func error(_ message: String, _ fields: (key: StaticString, value: Int)...) {
        write("error", message, fields)
    }

    /// One line: `<ts> <level> <message> key=value...` or `{"ts","level","msg",...}`.
    private static func write(_ level: StaticString, _ message: String, _ fields: [(key: StaticString, value: Int)]) {
        var line = LogLine(format: format, timestamp: UTCTimestamp.now().utf8, level: level)
        line.addMessage(message)
        for field in fields { line.add(field.key, field.value, labelled: true) }
        line.finish()
        SystemCall.writeAll(StandardStreams.error, line.bytes)
    }
}
