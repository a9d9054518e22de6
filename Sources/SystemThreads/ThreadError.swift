import Glibc

/// A pthread or semaphore call that failed, with its error number.
public struct ThreadError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
