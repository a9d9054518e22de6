/// A listening socket, bound before the server that will accept on it exists: `serve` binds
/// first and only then opens the database and makes a token, so a port already taken leaves
/// no file created and no token printed (CLI.md, "serve").
public struct HTTPListener: Sendable {
    let fd: Int32
    /// The bound port (the one the kernel picked for port 0).
    public let port: Int

    /// Binds `host:port` and listens. Throws `HTTPServerError` with a readable message.
    public static func bind(host: String, port: Int) throws -> HTTPListener {
        let listener = try SystemCall.makeListener(host: host, port: port)
        return HTTPListener(fd: listener.fd, port: listener.port)
    }

    /// Closes a listener that no server took.
    public func close() {
        SystemCall.closeDescriptor(fd)
    }
}
