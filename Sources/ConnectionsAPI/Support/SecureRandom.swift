import CCrypto

/// Random bytes from OpenSSL's CSPRNG (a DRBG seeded from the kernel and reseeded by it):
/// one call per token or id, where `SystemRandomNumberGenerator` makes a getrandom(2) system
/// call per 8 bytes drawn.
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(status == 1, "OpenSSL RAND_bytes failed: no secure randomness available")
        return bytes
    }
}
