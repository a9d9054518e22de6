import Glibc

/// Whole writes to the process's standard streams (one write(2) per call, retried on EINTR
/// and short writes): stderr diagnostics here, and the command line's output.
public enum StandardStreams {
    public static let output: Int32 = 1
    public static let error: Int32 = 2

    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
