/// Why the server could not start.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    static func system(_ operation: String, errno code: Int32, detail: String = "") -> HTTPServerError {
        let suffix = detail.isEmpty ? "" : " \(detail)"
        return HTTPServerError("\(operation)\(suffix) failed: \(SystemCall.errorText(code)) (errno \(code))")
    }
}
