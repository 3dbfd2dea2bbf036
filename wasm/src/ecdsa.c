/* ECDSA: RFC 6979 signing (libsecp256k1 always emits low-S), recoverable signatures and public
 * key recovery (BOLT 11), strict low-S verification, and compact <-> DER conversion. Returns 1
 * (or a length / recovery id) on success and 0 (-1 for recovery ids) for invalid input. */
#include "lw.h"
#include "secp256k1_recovery.h"

/* r and s are both non-zero in every valid signature; libsecp256k1's parsers accept zero (and
 * map an over-order DER integer to zero), so the conversions below reject it explicitly. */
static int lw_sig_rs_nonzero(const uint8_t *sig64) {
    uint8_t r = 0, s = 0;
    int i;
    for (i = 0; i < 32; i++) {
        r |= sig64[i];
        s |= sig64[32 + i];
    }
    return r != 0 && s != 0;
}

LW_EXPORT(lw_sign_compact) int lw_sign_compact(uint8_t *out64, const uint8_t *msg32, const uint8_t *sk32) {
    secp256k1_ecdsa_signature sig;
    if (!secp256k1_ecdsa_sign(lw_ctx, &sig, msg32, sk32, NULL, NULL)) return 0;
    return secp256k1_ecdsa_signature_serialize_compact(lw_ctx, out64, &sig);
}

/* Returns the recovery id (0..3), or -1. */
LW_EXPORT(lw_sign_recoverable) int lw_sign_recoverable(uint8_t *out64, const uint8_t *msg32, const uint8_t *sk32) {
    secp256k1_ecdsa_recoverable_signature sig;
    int recid = -1;
    if (!secp256k1_ecdsa_sign_recoverable(lw_ctx, &sig, msg32, sk32, NULL, NULL)) return -1;
    if (!secp256k1_ecdsa_recoverable_signature_serialize_compact(lw_ctx, out64, &recid, &sig)) return -1;
    return recid;
}

/* Accepts high-S signatures: BOLT 11 readers must. */
LW_EXPORT(lw_recover) int lw_recover(uint8_t *out33, const uint8_t *msg32, const uint8_t *sig64, int recid) {
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    if (recid < 0 || recid > 3) return 0;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(lw_ctx, &sig, sig64, recid)) return 0;
    if (!secp256k1_ecdsa_recover(lw_ctx, &pk, &sig, msg32)) return 0;
    lw_serialize_compressed(out33, &pk);
    return 1;
}

/* Strict: high-S signatures do not verify (libsecp256k1's rule, and Bitcoin's). */
LW_EXPORT(lw_verify) int lw_verify(const uint8_t *sig64, const uint8_t *msg32, const uint8_t *pub, size_t publen) {
    secp256k1_ecdsa_signature sig;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_signature_parse_compact(lw_ctx, &sig, sig64)) return 0;
    if (!lw_parse_pubkey(&pk, pub, publen)) return 0;
    return secp256k1_ecdsa_verify(lw_ctx, &sig, msg32, &pk);
}

/* Returns the DER length (at most 72), or 0. */
LW_EXPORT(lw_compact_to_der) size_t lw_compact_to_der(uint8_t *out72, const uint8_t *sig64) {
    secp256k1_ecdsa_signature sig;
    size_t len = 72;
    if (!lw_sig_rs_nonzero(sig64)) return 0;
    if (!secp256k1_ecdsa_signature_parse_compact(lw_ctx, &sig, sig64)) return 0;
    if (!secp256k1_ecdsa_signature_serialize_der(lw_ctx, out72, &len, &sig)) return 0;
    return len;
}

/* Strict DER (minimal lengths and integers, no trailing bytes); r and s must be in [1, n). */
LW_EXPORT(lw_der_to_compact) int lw_der_to_compact(uint8_t *out64, const uint8_t *der, size_t derlen) {
    secp256k1_ecdsa_signature sig;
    if (!secp256k1_ecdsa_signature_parse_der(lw_ctx, &sig, der, derlen)) return 0;
    secp256k1_ecdsa_signature_serialize_compact(lw_ctx, out64, &sig);
    return lw_sig_rs_nonzero(out64);
}

/* Copy of the signature with s replaced by n - s when s > n/2. */
LW_EXPORT(lw_normalize_s) int lw_normalize_s(uint8_t *out64, const uint8_t *sig64) {
    secp256k1_ecdsa_signature sig;
    if (!lw_sig_rs_nonzero(sig64)) return 0;
    if (!secp256k1_ecdsa_signature_parse_compact(lw_ctx, &sig, sig64)) return 0;
    secp256k1_ecdsa_signature_normalize(lw_ctx, &sig, &sig);
    return secp256k1_ecdsa_signature_serialize_compact(lw_ctx, out64, &sig);
}
