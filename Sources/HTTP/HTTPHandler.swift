/// What the transport calls for each framed request.
public protocol HTTPHandler: Sendable {
    /// Called on an event-loop thread. Must call `respond` exactly once: before returning (fast path,
    /// no thread hop) or later from any thread (e.g. after a durable write commits). Extra calls are
    /// ignored; dropping `respond` without calling it answers 500.
    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void)

    /// Called on an event-loop thread once the head of a request with a body is complete, before the
    /// body is read. A response refuses the request from its head alone: the transport sends it and
    /// closes the connection, leaving the body unread (API.md: a request with a missing or invalid
    /// token is answered 401 from its head). `nil` lets the body be read and `handle` be called.
    func screen(_ head: HTTPRequest) -> HTTPResponse?
}

extension HTTPHandler {
    /// Reads every body.
    public func screen(_ head: HTTPRequest) -> HTTPResponse? { nil }
}
