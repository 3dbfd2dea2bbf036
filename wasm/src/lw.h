/* Shared declarations of the lightning-worker WASM module (our own C around libsecp256k1).
 *
 * ABI: every exported function takes pointers into linear memory that the JS side filled (it
 * owns an arena above __heap_base) and returns a status; nothing here allocates. Invalid input
 * (bad scalars, off-curve points, malformed DER) yields a failure status, never a trap. */
#ifndef LW_H
#define LW_H

#include <stddef.h>
#include <stdint.h>
#include "secp256k1.h"

/* Marks a function as a module export under its own name. */
#define LW_EXPORT(name) __attribute__((export_name(#name)))

/* The one context (libsecp256k1's preallocated API; lives in static memory). NULL until
 * lw_init succeeded. */
extern secp256k1_context *lw_ctx;

/* SHA-256 and HMAC-SHA256 from libsecp256k1's internal hash (bridged in secp256k1_unit.c,
 * the only translation unit that can see those static functions). Two-part inputs let callers
 * hash a || b without building a concatenation. */
void lw_hash_sha256(uint8_t out[32], const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
void lw_hash_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t keylen, const uint8_t *a, size_t alen,
                         const uint8_t *b, size_t blen);

/* ChaCha20 (RFC 8439: 256-bit key, 96-bit nonce, 32-bit block counter), XORing the key stream
 * that starts `offset` bytes into block `counter` over data[0..len). In place when out == in. */
void lw_chacha20_xor_at(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32],
                        const uint8_t nonce[12], uint32_t counter, size_t offset);

/* Parses a 33- or 65-byte SEC1 key (compressed or uncompressed only: hybrid 0x06/0x07 keys are
 * rejected, as Bitcoin and the BOLTs never use them). */
int lw_parse_pubkey(secp256k1_pubkey *pk, const uint8_t *in, size_t inlen);
void lw_serialize_compressed(uint8_t out[33], const secp256k1_pubkey *pk);
/* Compressed public key of a secret (the exported key operation, reused by the Sphinx kernel). */
int lw_pubkey_create(uint8_t *out33, const uint8_t *sk32);

/* Clears secrets from stack buffers; volatile so the stores are not removed as dead. */
static inline void lw_wipe(void *p, size_t n) {
    volatile uint8_t *v = (volatile uint8_t *)p;
    while (n--) *v++ = 0;
}

#endif
