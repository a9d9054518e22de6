/// The id a request is logged under and answered with (`X-Request-Id`, API.md "Operations"): the
/// client's own when it sent a usable one (1–128 visible ASCII characters), otherwise one the
/// transport makes, `<process>-<loop>-<serial>` (`5f0c2a9e-1-000123`). Made ids are kept as two
/// integers and rendered only when a response or a log line is written; the process part (random
/// at start) keeps them unique across restarts, so logs gathered over days do not mix requests.
public struct RequestID: Sendable, Hashable, CustomStringConvertible {
    private enum Source: Sendable, Hashable {
        case made(loop: Int, serial: Int)
        case given(String)
    }

    private let source: Source

    /// The header a client names its request with, and the response carries.
    public static let headerName = "X-Request-Id"
    package static let maxLength = 128

    /// An id made by the transport: the `serial`th request read by event loop `loop`.
    public init(loop: Int, serial: Int) {
        source = .made(loop: loop, serial: serial)
    }

    /// The client's id, or `nil` when it is empty, longer than 128 bytes or has anything but
    /// visible ASCII (a space or a control character could forge log lines or headers).
    public init?(given text: String) {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= Self.maxLength, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return nil
        }
        source = .given(text)
    }

    public var description: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the id's characters without building a `String` (made ids are written on every
    /// response): the digits are written right to left into a stack buffer, then copied once.
    package func append(to buffer: inout [UInt8]) {
        switch source {
        case .given(let text):
            buffer.append(contentsOf: text.utf8)
        case .made(let loop, let serial):
            buffer.append(contentsOf: Self.processTag)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { scratch in
                var start = scratch.count
                func prepend(_ value: Int, minimumDigits: Int) {
                    var rest = max(value, 0)
                    var digits = 0
                    repeat {
                        start -= 1
                        scratch[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                        digits += 1
                    } while rest > 0 || digits < minimumDigits
                    start -= 1
                    scratch[start] = UInt8(ascii: "-")
                }
                prepend(serial, minimumDigits: 6)
                prepend(loop, minimumDigits: 1)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[start...]))
            }
        }
    }

    /// Eight hex digits drawn once per process, from the system's CSPRNG (getrandom(2) on Linux):
    /// one call at the first request, so the standard library's generator serves as well as the
    /// service's own `SecureRandom` (which draws tokens and ids) without this layer naming it.
    private static let processTag: [UInt8] = {
        let hex = Array("0123456789abcdef".utf8)
        var generator = SystemRandomNumberGenerator()
        let value: UInt32 = generator.next()
        return (0..<8).reversed().map { hex[Int(value >> UInt32($0 * 4) & 0xF)] }
    }()
}
