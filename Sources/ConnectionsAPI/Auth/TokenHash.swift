import CCrypto

/// SHA-256 digests of secrets and tokens, through OpenSSL's libcrypto (no hand-written
/// crypto). Only these digests are ever stored or kept in memory.
enum TokenHash {
    static func sha256(_ text: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var text = text
        text.withUTF8 { bytes in
            digest.withUnsafeMutableBufferPointer { output in
                // Fails only on a null pointer, which these buffers never are.
                precondition(ccrypto_sha256(bytes.baseAddress, bytes.count, output.baseAddress) == 1, "SHA-256 failed")
            }
        }
        return digest
    }

    /// Compares two byte strings (digests, tokens) in time independent of where they differ
    /// (CRYPTO_memcmp); only a length mismatch returns early.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBufferPointer { equal($0, rhs) }
    }

    static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return rhs.withUnsafeBufferPointer { right in
            CRYPTO_memcmp(lhs.baseAddress, right.baseAddress, lhs.count) == 0
        }
    }

    /// `count` bytes from OpenSSL's CSPRNG, as unpadded base64url.
    static func randomToken(bytes count: Int = 32) -> String {
        Base64URL.encode(SecureRandom.bytes(count))
    }
}
