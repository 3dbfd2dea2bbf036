/* Key operations: public keys from secrets, parsing/serializing, tweaks, combination, and the
 * BOLT 4/8 ECDH (SHA-256 of the compressed shared point). Every function returns 1 on success
 * and 0 for invalid input (the JS wrapper maps 0 to a typed error). */
#include <string.h>
#include "lw.h"
#include "secp256k1_ecdh.h"

int lw_parse_pubkey(secp256k1_pubkey *pk, const uint8_t *in, size_t inlen) {
    if (inlen == 33) {
        if (in[0] != 0x02 && in[0] != 0x03) return 0;
    } else if (inlen == 65) {
        if (in[0] != 0x04) return 0;
    } else {
        return 0;
    }
    return secp256k1_ec_pubkey_parse(lw_ctx, pk, in, inlen);
}

void lw_serialize_compressed(uint8_t out[33], const secp256k1_pubkey *pk) {
    size_t len = 33;
    secp256k1_ec_pubkey_serialize(lw_ctx, out, &len, pk, SECP256K1_EC_COMPRESSED);
}

LW_EXPORT(lw_seckey_verify) int lw_seckey_verify(const uint8_t *sk32) {
    return secp256k1_ec_seckey_verify(lw_ctx, sk32);
}

LW_EXPORT(lw_pubkey_create) int lw_pubkey_create(uint8_t *out33, const uint8_t *sk32) {
    secp256k1_pubkey pk;
    if (!secp256k1_ec_pubkey_create(lw_ctx, &pk, sk32)) return 0;
    lw_serialize_compressed(out33, &pk);
    return 1;
}

/* Constant time in the secret (libsecp256k1's ecdh module uses ecmult_const); its default hash
 * is exactly SHA256(0x02|parity(y) || x), i.e. of the compressed point. */
LW_EXPORT(lw_ecdh) int lw_ecdh(uint8_t *out32, const uint8_t *sk32, const uint8_t *pub, size_t publen) {
    secp256k1_pubkey pk;
    if (!lw_parse_pubkey(&pk, pub, publen)) return 0;
    return secp256k1_ecdh(lw_ctx, out32, &pk, sk32, NULL, NULL);
}

/* Compressed form of a 33- or 65-byte key (validates it on the curve). */
LW_EXPORT(lw_pubkey_parse) int lw_pubkey_parse(uint8_t *out33, const uint8_t *pub, size_t publen) {
    secp256k1_pubkey pk;
    if (!lw_parse_pubkey(&pk, pub, publen)) return 0;
    lw_serialize_compressed(out33, &pk);
    return 1;
}

LW_EXPORT(lw_pubkey_decompress) int lw_pubkey_decompress(uint8_t *out65, const uint8_t *pub, size_t publen) {
    secp256k1_pubkey pk;
    size_t len = 65;
    if (!lw_parse_pubkey(&pk, pub, publen)) return 0;
    return secp256k1_ec_pubkey_serialize(lw_ctx, out65, &len, &pk, SECP256K1_EC_UNCOMPRESSED);
}

/* P + tweak*G; a zero tweak is allowed (returns P), an over-order tweak or an infinite result
 * is not. */
LW_EXPORT(lw_pubkey_tweak_add) int lw_pubkey_tweak_add(uint8_t *out33, const uint8_t *pub, size_t publen, const uint8_t *tweak32) {
    secp256k1_pubkey pk;
    if (!lw_parse_pubkey(&pk, pub, publen)) return 0;
    if (!secp256k1_ec_pubkey_tweak_add(lw_ctx, &pk, tweak32)) return 0;
    lw_serialize_compressed(out33, &pk);
    return 1;
}

/* tweak*P, for a tweak in [1, n). */
LW_EXPORT(lw_pubkey_tweak_mul) int lw_pubkey_tweak_mul(uint8_t *out33, const uint8_t *pub, size_t publen, const uint8_t *tweak32) {
    secp256k1_pubkey pk;
    if (!lw_parse_pubkey(&pk, pub, publen)) return 0;
    if (!secp256k1_ec_pubkey_tweak_mul(lw_ctx, &pk, tweak32)) return 0;
    lw_serialize_compressed(out33, &pk);
    return 1;
}

/* Sum of n compressed keys (pubs = n * 33 bytes). The library wants an array of pointers to
 * parsed keys; `work` is caller-provided room for them, lw_pubkey_combine_work_size(n) bytes,
 * so any n works without a heap. Only the total may be infinity-checked: P + (-P) + Q = Q. */
LW_EXPORT(lw_pubkey_combine_work_size) size_t lw_pubkey_combine_work_size(size_t n) {
    return n * (sizeof(secp256k1_pubkey) + sizeof(secp256k1_pubkey *));
}

LW_EXPORT(lw_pubkey_combine) int lw_pubkey_combine(uint8_t *out33, const uint8_t *pubs, size_t n, void *work) {
    secp256k1_pubkey *keys = work;
    const secp256k1_pubkey **ptrs = (const secp256k1_pubkey **)(keys + n);
    secp256k1_pubkey sum;
    size_t i;
    if (n == 0 || ((uintptr_t)work & 15) != 0) return 0;
    for (i = 0; i < n; i++) {
        if (!lw_parse_pubkey(&keys[i], pubs + 33 * i, 33)) return 0;
        ptrs[i] = &keys[i];
    }
    if (!secp256k1_ec_pubkey_combine(lw_ctx, &sum, ptrs, n)) return 0;
    lw_serialize_compressed(out33, &sum);
    return 1;
}

/* (sk + tweak) mod n; fails for an invalid secret, an over-order tweak or a zero result. */
LW_EXPORT(lw_seckey_tweak_add) int lw_seckey_tweak_add(uint8_t *out32, const uint8_t *sk32, const uint8_t *tweak32) {
    memcpy(out32, sk32, 32);
    return secp256k1_ec_seckey_tweak_add(lw_ctx, out32, tweak32);
}

/* (sk * tweak) mod n, for a tweak in [1, n). */
LW_EXPORT(lw_seckey_tweak_mul) int lw_seckey_tweak_mul(uint8_t *out32, const uint8_t *sk32, const uint8_t *tweak32) {
    memcpy(out32, sk32, 32);
    return secp256k1_ec_seckey_tweak_mul(lw_ctx, out32, tweak32);
}
