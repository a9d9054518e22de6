import HTTP

/// What other threads ask of an event loop, through its mailbox.
enum LoopMessage: Sendable {
    /// A deferred response for the request in flight on connection `id` (at descriptor `fd`).
    case response(fd: Int32, connectionID: UInt64, serial: UInt64, HTTPResponse)
    /// A freshly accepted socket handed over by the accepting loop (already counted by the gate).
    case adopt(fd: Int32)
    /// Stop accepting, finish in-flight requests, close everything by `deadline` (monotonic ns).
    case shutdown(deadline: UInt64)
}
