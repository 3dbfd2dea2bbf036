/* The libsecp256k1 translation unit: the library (with its ecdh and recovery modules, enabled
 * by -D flags in build.sh) compiled as one unit, plus the little our other files need from its
 * internals: its SHA-256/HMAC (static functions, so they can only be reached from here) and the
 * default callbacks (USE_EXTERNAL_DEFAULT_CALLBACKS). */
#include "secp256k1.c"
#include "lw.h"

/* An illegal-argument callback means one of our wrappers passed something the library refuses
 * (the library then returns 0, which the wrappers report as a failure). Counting instead of
 * aborting keeps invalid input from ever trapping. */
static volatile uint32_t lw_illegal_calls;

void secp256k1_default_illegal_callback_fn(const char *str, void *data) {
    (void)str;
    (void)data;
    lw_illegal_calls++;
}

/* Internal consistency failure (self-test failed, corrupted state): unrecoverable, so trap; the
 * JS side then discards this instance and instantiates a fresh one. */
void secp256k1_default_error_callback_fn(const char *str, void *data) {
    (void)str;
    (void)data;
    __builtin_trap();
}

LW_EXPORT(lw_illegal_count) uint32_t lw_illegal_count(void) { return lw_illegal_calls; }

void lw_hash_sha256(uint8_t out[32], const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    secp256k1_sha256 h;
    secp256k1_sha256_initialize(&h);
    secp256k1_sha256_write(&h, a, alen);
    if (blen) secp256k1_sha256_write(&h, b, blen);
    secp256k1_sha256_finalize(&h, out);
}

void lw_hash_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t keylen, const uint8_t *a, size_t alen,
                         const uint8_t *b, size_t blen) {
    secp256k1_hmac_sha256 h;
    secp256k1_hmac_sha256_initialize(&h, key, keylen);
    secp256k1_hmac_sha256_write(&h, a, alen);
    if (blen) secp256k1_hmac_sha256_write(&h, b, blen);
    secp256k1_hmac_sha256_finalize(&h, out);
}
