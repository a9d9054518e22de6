import ConnectionsAPI
import Glibc
import HTTPTransport

/// The process's own I/O: standard streams, files, environment, exit. Written on POSIX
/// calls rather than Foundation, so the executable does not load Foundation (and ICU) at
/// start: ~8 MiB less resident memory and a faster cold start (issue 5).
enum ProcessIO {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ text: String, to descriptor: Int32) {
        StandardStreams.write(text, to: descriptor)
    }

    static func printLine(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    static func printError(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    /// An environment variable, if set.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The whole contents of a regular file.
    static func readFile(_ path: String) throws(ReadError) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw ReadError(description: "cannot read \(path): \(reason(errno))") }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw ReadError(description: "cannot read \(path): is a directory") }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(description: "cannot read \(path): \(reason(errno))") }
        defer { close(descriptor) }
        return try readAll(descriptor, name: path)
    }

    /// Everything on standard input.
    static func readStandardInput() throws(ReadError) -> [UInt8] {
        try readAll(STDIN_FILENO, name: "standard input")
    }

    private static func readAll(_ descriptor: Int32, name: String) throws(ReadError) -> [UInt8] {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "cannot read \(name): \(reason(errno))")
            }
            contents.append(contentsOf: chunk[0..<count])
        }
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case EISDIR: return "is a directory"
        default: return String(cString: strerror(code))
        }
    }
}
