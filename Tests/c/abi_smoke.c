/* C ABI smoke test: compiled as C99 and as C++ (-Wall -Wextra -Werror -pedantic).
 * Calls every exported primitive with good input (known answers) and bad input (NULLs,
 * short buffers, wrong lengths, invalid keys) and checks the exact status. */
#include "x402_secure.h"
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed = 0, failed = 0;

#define CHECK(cond, what)                                                       \
    do {                                                                        \
        if (cond) {                                                             \
            passed++;                                                           \
        } else {                                                                \
            failed++;                                                           \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what);      \
        }                                                                       \
    } while (0)

#define EXPECT_STATUS(call, want)                                               \
    do {                                                                        \
        x402s_status got_ = (call);                                             \
        if (got_ == (want)) {                                                   \
            passed++;                                                           \
        } else {                                                                \
            failed++;                                                           \
            fprintf(stderr, "FAIL %s:%d: %s -> %d (%s), want %s\n", __FILE__,   \
                    __LINE__, #call, (int)got_, x402s_status_name(got_)         \
                    ? x402s_status_name(got_) : "?", #want);                    \
        }                                                                       \
    } while (0)

static void to_hex(const uint8_t *b, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = 0;
}

int main(void) {
    x402s_error err;
    uint8_t out[128];
    char hex[300];
    size_t len = 0;
    uint8_t key[32];
    uint8_t digest[32];
    uint8_t sig[65];
    uint8_t pub[65];
    uint8_t addr[42];
    static const uint8_t order[32] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
        0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

    CHECK(sizeof(x402s_error) == 256, "x402s_error is 256 bytes");
    CHECK((x402s_abi_version() >> 16) == X402S_ABI_VERSION_MAJOR, "abi major");
    CHECK(strlen(x402s_version_string()) > 0, "version string");
    CHECK(strcmp(x402s_status_name(X402S_OK), "X402S_OK") == 0, "status name ok");
    CHECK(strcmp(x402s_status_name(X402S_ERR_INVALID_KEY), "X402S_ERR_INVALID_KEY") == 0,
          "status name invalid key");
    CHECK(x402s_status_name(12345) == NULL, "unknown status has no name");
    EXPECT_STATUS(x402s_init(NULL), X402S_OK);
    CHECK(x402s_keccak256_bytes() == X402S_KECCAK256_BYTES, "keccak size");
    CHECK(x402s_sha256_bytes() == X402S_SHA256_BYTES, "sha256 size");
    CHECK(x402s_secp256k1_recoverable_sig_bytes() == 65, "sig size");
    CHECK(x402s_max_document_bytes() == X402S_MAX_DOCUMENT_BYTES, "max document");

    /* keccak-256 */
    EXPECT_STATUS(x402s_keccak256(out, 32, NULL, 0, &err), X402S_OK);
    to_hex(out, 32, hex);
    CHECK(strcmp(hex, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470") == 0,
          "keccak256('')");
    EXPECT_STATUS(x402s_keccak256(out, 32, (const uint8_t *)"abc", 3, NULL), X402S_OK);
    to_hex(out, 32, hex);
    CHECK(strcmp(hex, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45") == 0,
          "keccak256('abc')");
    EXPECT_STATUS(x402s_keccak256(NULL, 32, NULL, 0, &err), X402S_ERR_NULL_ARGUMENT);
    CHECK(err.code == X402S_ERR_NULL_ARGUMENT && strlen(err.message) > 0, "err filled");
    EXPECT_STATUS(x402s_keccak256(out, 31, NULL, 0, &err), X402S_ERR_BUFFER_TOO_SMALL);
    EXPECT_STATUS(x402s_keccak256(out, 32, NULL, 5, &err), X402S_ERR_NULL_ARGUMENT);

    /* sha-256 */
    EXPECT_STATUS(x402s_sha256(out, 32, (const uint8_t *)"abc", 3, &err), X402S_OK);
    to_hex(out, 32, hex);
    CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
          "sha256('abc')");
    EXPECT_STATUS(x402s_sha256(out, 0, (const uint8_t *)"abc", 3, &err), X402S_ERR_BUFFER_TOO_SMALL);

    /* encodings: sizing call with (NULL, 0) reports the needed length */
    EXPECT_STATUS(x402s_hex_encode(NULL, 0, &len, (const uint8_t *)"\x01\xab", 2, &err),
                  X402S_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 6, "hex size query");
    EXPECT_STATUS(x402s_hex_encode(out, sizeof out, &len, (const uint8_t *)"\x01\xab", 2, &err),
                  X402S_OK);
    CHECK(len == 6 && memcmp(out, "0x01ab", 6) == 0, "hex encode");
    EXPECT_STATUS(x402s_hex_encode(out, sizeof out, NULL, (const uint8_t *)"\x01", 1, &err),
                  X402S_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(x402s_hex_decode(out, sizeof out, &len, (const uint8_t *)"0xAB01", 6, &err),
                  X402S_OK);
    CHECK(len == 2 && out[0] == 0xab && out[1] == 0x01, "hex decode");
    EXPECT_STATUS(x402s_hex_decode(out, sizeof out, &len, (const uint8_t *)"0xabc", 5, &err),
                  X402S_ERR_INVALID_HEX);
    EXPECT_STATUS(x402s_hex_decode(out, sizeof out, &len, (const uint8_t *)"zz", 2, &err),
                  X402S_ERR_INVALID_HEX);
    EXPECT_STATUS(x402s_hex_decode(out, sizeof out, &len, (const uint8_t *)"\xff\xfe", 2, &err),
                  X402S_ERR_INVALID_UTF8);
    EXPECT_STATUS(x402s_base64_encode(out, sizeof out, &len, (const uint8_t *)"\xfb\xff", 2,
                                      X402S_BASE64_STANDARD, &err), X402S_OK);
    CHECK(len == 4 && memcmp(out, "+/8=", 4) == 0, "base64 standard");
    EXPECT_STATUS(x402s_base64_encode(out, sizeof out, &len, (const uint8_t *)"\xfb\xff", 2,
                                      X402S_BASE64_URL, &err), X402S_OK);
    CHECK(len == 3 && memcmp(out, "-_8", 3) == 0, "base64 url");
    EXPECT_STATUS(x402s_base64_encode(out, sizeof out, &len, (const uint8_t *)"a", 1, 7, &err),
                  X402S_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(x402s_base64_decode(out, sizeof out, &len, (const uint8_t *)"-_8=", 4,
                                      X402S_BASE64_STANDARD, &err), X402S_ERR_INVALID_BASE64);
    EXPECT_STATUS(x402s_base64_decode(out, sizeof out, &len, (const uint8_t *)"+/8", 3,
                                      X402S_BASE64_STANDARD, &err), X402S_ERR_INVALID_BASE64);
    EXPECT_STATUS(x402s_base58_encode(out, sizeof out, &len, (const uint8_t *)"\0\0\x01", 3, &err),
                  X402S_OK);
    CHECK(len == 3 && memcmp(out, "112", 3) == 0, "base58 leading zeros");
    EXPECT_STATUS(x402s_base58_decode(out, sizeof out, &len, (const uint8_t *)"0OIl", 4, &err),
                  X402S_ERR_INVALID_BASE58);

    /* secp256k1: key 0x01..01 -> 0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1 */
    memset(key, 1, sizeof key);
    EXPECT_STATUS(x402s_secp256k1_seckey_verify(key, 32, &err), X402S_OK);
    EXPECT_STATUS(x402s_evm_address(addr, sizeof addr, key, 32, &err), X402S_OK);
    CHECK(memcmp(addr, "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", 42) == 0, "address key01");
    EXPECT_STATUS(x402s_evm_address(addr, 41, key, 32, &err), X402S_ERR_BUFFER_TOO_SMALL);
    EXPECT_STATUS(x402s_evm_address(addr, 42, key, 31, &err), X402S_ERR_INVALID_LENGTH);
    EXPECT_STATUS(x402s_evm_address(addr, 42, NULL, 32, &err), X402S_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(x402s_secp256k1_seckey_verify(order, 32, &err), X402S_ERR_INVALID_KEY);
    memset(key, 0, sizeof key);
    EXPECT_STATUS(x402s_secp256k1_seckey_verify(key, 32, &err), X402S_ERR_INVALID_KEY);
    EXPECT_STATUS(x402s_secp256k1_sign(sig, 65, digest, 32, key, 32, &err), X402S_ERR_INVALID_KEY);
    memset(key, 0xff, sizeof key);
    EXPECT_STATUS(x402s_secp256k1_pubkey(pub, 65, key, 32, &err), X402S_ERR_INVALID_KEY);
    CHECK(strstr(err.message, "ff") == NULL, "no key bytes echoed in message");

    memset(key, 1, sizeof key);
    memset(digest, 0x42, sizeof digest);
    EXPECT_STATUS(x402s_secp256k1_sign(sig, 65, digest, 32, key, 32, &err), X402S_OK);
    CHECK(sig[64] == 27 || sig[64] == 28, "v is 27/28");
    EXPECT_STATUS(x402s_secp256k1_sign(sig, 64, digest, 32, key, 32, &err),
                  X402S_ERR_BUFFER_TOO_SMALL);
    EXPECT_STATUS(x402s_secp256k1_sign(sig, 65, digest, 31, key, 32, &err), X402S_ERR_INVALID_LENGTH);
    EXPECT_STATUS(x402s_evm_recover_address(addr, 42, digest, 32, sig, 65, &err), X402S_OK);
    CHECK(memcmp(addr, "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", 42) == 0, "recover");
    EXPECT_STATUS(x402s_secp256k1_pubkey(pub, 65, key, 32, &err), X402S_OK);
    EXPECT_STATUS(x402s_secp256k1_verify(sig, 65, digest, 32, pub, 65, &err), X402S_OK);
    digest[0] ^= 1;
    EXPECT_STATUS(x402s_secp256k1_verify(sig, 65, digest, 32, pub, 65, &err),
                  X402S_ERR_VERIFY_FAILED);
    digest[0] ^= 1;
    sig[64] = 29;
    EXPECT_STATUS(x402s_evm_recover_address(addr, 42, digest, 32, sig, 65, &err),
                  X402S_ERR_INVALID_SIGNATURE);
    EXPECT_STATUS(x402s_evm_recover_address(addr, 42, digest, 32, sig, 64, &err),
                  X402S_ERR_INVALID_SIGNATURE);
    EXPECT_STATUS(x402s_evm_recover_address(addr, 42, digest, 31, sig, 65, &err),
                  X402S_ERR_INVALID_LENGTH);
    EXPECT_STATUS(x402s_evm_checksum_address(addr, 42,
                  (const uint8_t *)"0x1a642f0e3c3af545e7acbd38b07251b3990914f1", 42, &err), X402S_OK);
    CHECK(memcmp(addr, "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", 42) == 0, "checksum");
    EXPECT_STATUS(x402s_evm_checksum_address(addr, 42,
                  (const uint8_t *)"0x1A642f0E3c3aF545E7AcBD38b07251B3990914F1", 42, &err),
                  X402S_ERR_INVALID_ADDRESS);

    /* EIP-712: the spec's Mail example */
    {
        const char *mail = X402S_TEST_MAIL_JSON;
        uint8_t ds[32];
        EXPECT_STATUS(x402s_eip712_hash(out, 32, ds, 32, NULL, 0, (const uint8_t *)mail,
                                        strlen(mail), &err), X402S_OK);
        to_hex(out, 32, hex);
        CHECK(strcmp(hex, "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2") == 0,
              "mail digest");
        to_hex(ds, 32, hex);
        CHECK(strcmp(hex, "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f") == 0,
              "mail domain separator");
        EXPECT_STATUS(x402s_eip712_hash(out, 32, ds, 16, NULL, 0, (const uint8_t *)mail,
                                        strlen(mail), &err), X402S_ERR_BUFFER_TOO_SMALL);
        EXPECT_STATUS(x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, (const uint8_t *)"{", 1, &err),
                      X402S_ERR_INVALID_JSON);
        EXPECT_STATUS(x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, (const uint8_t *)"{}", 2, &err),
                      X402S_ERR_EIP712_INVALID_DOCUMENT);
        EXPECT_STATUS(x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, NULL, 10, &err),
                      X402S_ERR_NULL_ARGUMENT);
        memset(key, 1, sizeof key);
        EXPECT_STATUS(x402s_eip712_sign(sig, 65, out, 32, (const uint8_t *)mail, strlen(mail), key,
                                        32, &err), X402S_OK);
        EXPECT_STATUS(x402s_evm_recover_address(addr, 42, out, 32, sig, 65, &err), X402S_OK);
        CHECK(memcmp(addr, "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1", 42) == 0,
              "typed-data signature recovers");
    }
    {
        /* 10,000-deep nesting and an oversize document are errors, not crashes. */
        size_t n = 10000, i;
        char *deep = (char *)malloc(2 * n);
        char *big = (char *)malloc(X402S_MAX_DOCUMENT_BYTES + 2);
        CHECK(deep != NULL && big != NULL, "malloc");
        if (deep && big) {
            for (i = 0; i < n; i++) { deep[i] = '['; deep[n + i] = ']'; }
            EXPECT_STATUS(x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, (const uint8_t *)deep, 2 * n,
                                            &err), X402S_ERR_JSON_TOO_DEEP);
            memset(big, ' ', X402S_MAX_DOCUMENT_BYTES + 2);
            EXPECT_STATUS(x402s_eip712_hash(out, 32, NULL, 0, NULL, 0, (const uint8_t *)big,
                                            X402S_MAX_DOCUMENT_BYTES + 1, &err),
                          X402S_ERR_INPUT_TOO_LARGE);
        }
        free(deep);
        free(big);
    }

    /* Ed25519 / Solana: seed 01*32 -> AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9 */
    memset(key, 1, sizeof key);
    EXPECT_STATUS(x402s_solana_address(out, sizeof out, &len, key, 32, &err), X402S_OK);
    CHECK(len == 44 && memcmp(out, "AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9", 44) == 0,
          "solana address");
    EXPECT_STATUS(x402s_ed25519_pubkey(pub, 32, key, 32, &err), X402S_OK);
    EXPECT_STATUS(x402s_ed25519_sign(sig, 64, (const uint8_t *)"hi", 2, key, 32, &err), X402S_OK);
    EXPECT_STATUS(x402s_ed25519_verify(sig, 64, (const uint8_t *)"hi", 2, pub, 32, &err), X402S_OK);
    EXPECT_STATUS(x402s_ed25519_verify(sig, 64, (const uint8_t *)"ho", 2, pub, 32, &err),
                  X402S_ERR_VERIFY_FAILED);
    EXPECT_STATUS(x402s_ed25519_verify(sig, 63, (const uint8_t *)"hi", 2, pub, 32, &err),
                  X402S_ERR_INVALID_SIGNATURE);
    EXPECT_STATUS(x402s_ed25519_verify(sig, 64, (const uint8_t *)"hi", 2, pub, 31, &err),
                  X402S_ERR_INVALID_LENGTH);
    EXPECT_STATUS(x402s_ed25519_sign(sig, 64, (const uint8_t *)"hi", 2, key, 16, &err),
                  X402S_ERR_INVALID_LENGTH);
    EXPECT_STATUS(x402s_ed25519_pubkey(pub, 31, key, 32, &err), X402S_ERR_BUFFER_TOO_SMALL);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
