/// How the service writes its log lines on stderr (`serve --log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-12-02T10:00:00.123Z info <fields>`: one line for people and grep.
    case text
    /// One JSON object per line: `ts`, `level`, then the request's fields or `msg`.
    case json
}
