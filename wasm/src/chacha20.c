/* ChaCha20 as in RFC 8439 section 2.3/2.4: 256-bit key, 96-bit nonce, 32-bit block counter.
 * BOLT 4 uses it with a zero nonce as the Sphinx stream cipher (rho/um/ammag streams); BOLT 8's
 * AEAD is done in JS by @noble/ciphers. */
#include "lw.h"

static uint32_t load32_le(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d)                 \
    a += b; d ^= a; d = ROTL(d, 16);   \
    c += d; b ^= c; b = ROTL(b, 12);   \
    a += b; d ^= a; d = ROTL(d, 8);    \
    c += d; b ^= c; b = ROTL(b, 7)

/* One 64-byte key-stream block for the given input state. */
static void chacha20_block(uint8_t out[64], const uint32_t in[16]) {
    uint32_t x[16];
    int i;
    for (i = 0; i < 16; i++) x[i] = in[i];
    for (i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

void lw_chacha20_xor_at(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32],
                        const uint8_t nonce[12], uint32_t counter, size_t offset) {
    uint32_t state[16];
    uint8_t block[64];
    size_t skip, i;
    int k;
    /* "expand 32-byte k" */
    state[0] = 0x61707865;
    state[1] = 0x3320646e;
    state[2] = 0x79622d32;
    state[3] = 0x6b206574;
    for (k = 0; k < 8; k++) state[4 + k] = load32_le(key + 4 * k);
    state[12] = counter + (uint32_t)(offset / 64);
    for (k = 0; k < 3; k++) state[13 + k] = load32_le(nonce + 4 * k);
    skip = offset % 64;
    while (len > 0) {
        size_t take = 64 - skip;
        if (take > len) take = len;
        chacha20_block(block, state);
        for (i = 0; i < take; i++) out[i] = in[i] ^ block[skip + i];
        out += take;
        in += take;
        len -= take;
        skip = 0;
        state[12]++;
    }
    lw_wipe(block, sizeof block);
    lw_wipe(state, sizeof state);
}

/* XORs the key stream starting at block `counter` over in[0..len) into out (may alias in).
 * The caller keeps counter + ceil(len / 64) within 2^32 (the TS wrapper checks). */
LW_EXPORT(lw_chacha20) void lw_chacha20(uint8_t *out, const uint8_t *in, size_t len, const uint8_t *key32,
                                        const uint8_t *nonce12, uint32_t counter) {
    lw_chacha20_xor_at(out, in, len, key32, nonce12, counter, 0);
}
