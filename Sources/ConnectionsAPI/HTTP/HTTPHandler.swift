/// What the transport calls for each framed request.
public protocol HTTPHandler: Sendable {
    /// Called on an event-loop thread. Must call `respond` exactly once: before returning (fast path,
    /// no thread hop) or later from any thread (e.g. after a durable write commits). Extra calls are
    /// ignored; dropping `respond` without calling it answers 500.
    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void)
}
