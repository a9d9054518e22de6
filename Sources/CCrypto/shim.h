// OpenSSL 3 marks the low-level digest functions deprecated in favour of EVP. They are used
// on purpose: the one-shot SHA256() and RAND_bytes() go through EVP and the provider
// machinery, which pages in ~3.4 MiB of libcrypto and costs ~7k instructions a digest; the
// low-level functions are the same SHA-256 implementation without it (~1.6 MiB resident).
// Randomness comes from the kernel instead (getrandom(2), see SecureRandom).
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/crypto.h>

/// SHA-256 of `length` bytes into `digest` (32 bytes). Returns 1 on success.
static inline int ccrypto_sha256(const unsigned char *data, size_t length, unsigned char *digest) {
    SHA256_CTX context;
    return SHA256_Init(&context) && SHA256_Update(&context, data, length) && SHA256_Final(digest, &context);
}
