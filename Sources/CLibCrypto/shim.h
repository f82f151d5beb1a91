#ifndef X402S_CLIBCRYPTO_SHIM_H
#define X402S_CLIBCRYPTO_SHIM_H
/* Only the low-level SHA-256 entry points: SHA256_Init/Update/Final keep a
 * stack context and use the CPU's SHA extensions (see specs/toolchain.md). */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <openssl/crypto.h>
/* EVP digests: the benchmark compares Keccak-256 with OpenSSL's SHA3-256 (same
 * permutation) through a reused EVP_MD_CTX. */
#include <openssl/evp.h>
#endif
