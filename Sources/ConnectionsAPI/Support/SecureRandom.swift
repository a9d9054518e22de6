import CSystem
import Glibc

/// Random bytes from the kernel's CSPRNG, getrandom(2): one system call per token or id
/// (`SystemRandomNumberGenerator` made one per 8 bytes drawn). OpenSSL's RAND_bytes would do
/// as well but pages in its provider machinery, ~1.9 MiB more resident memory (issue 5).
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                // Flags 0: blocks only until the pool is first initialised at boot; requests
                // up to 256 bytes are never short, larger ones may be, hence the loop.
                let got = getrandom(buffer.baseAddress! + filled, buffer.count - filled, 0)
                if got < 0 {
                    precondition(errno == EINTR, "getrandom(2) failed: no secure randomness available")
                    continue
                }
                filled += got
            }
        }
        return bytes
    }

    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// `count` characters drawn uniformly from `[A-Za-z0-9]`. A byte is used only below 248
    /// (4 × 62), so `byte % 62` has no modulo bias; `2 × count` bytes almost always suffice,
    /// else more are drawn.
    static func alphanumeric(_ count: Int) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(count)
        while text.count < count {
            for byte in bytes(2 * count) where byte < 248 && text.count < count {
                text.append(alphanumerics[Int(byte) % alphanumerics.count])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
