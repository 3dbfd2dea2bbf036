/* The BOLT 4 Sphinx onion construction in one call, so the per-hop work (ECDH, ephemeral key
 * blinding, key derivation, ChaCha20 streams, HMACs) never crosses into JS.
 *
 *   for each hop i:  ss_i = SHA256(e_i * P_i)                (ECDH, constant time)
 *                    b_i  = SHA256(E_i || ss_i);  e_{i+1} = e_i * b_i,  E_{i+1} = e_{i+1} * G
 *                    rho_i = HMAC("rho", ss_i),  mu_i = HMAC("mu", ss_i)
 *   filler: the tail that hops 0..n-2 shift into the routing info, precomputed so the last
 *           hop's HMAC covers what it will really see;
 *   wrap from the last hop back: shift right by |payload|+32, write payload || next HMAC,
 *           XOR the rho stream, (last hop: overwrite the tail with the filler),
 *           HMAC(mu_i, routing info || associated data).
 * The routing info starts as the ChaCha20 stream of HMAC("pad", session key). */
#include <string.h>
#include "lw.h"
#include "secp256k1_ecdh.h"

enum {
    LW_SPHINX_OK = 0,
    LW_SPHINX_BAD_ARGS = 1,
    LW_SPHINX_BAD_SESSION_KEY = 2,
    LW_SPHINX_TOO_BIG = 3,
    LW_SPHINX_BLINDING_FAILED = 4,
    LW_SPHINX_BAD_PUBKEY = 0x100 /* + hop index */
};

static const uint8_t zero_nonce[12];

/* Work area the caller provides: rho and mu keys per hop, then the filler. */
LW_EXPORT(lw_sphinx_work_size) size_t lw_sphinx_work_size(uint32_t n_hops, uint32_t routing_info_size) {
    return (size_t)n_hops * 64 + routing_info_size;
}

/* Per-hop shared secrets and stream/HMAC keys; leaves the first ephemeral key in eph33. */
static int derive_hop_keys(uint8_t *shared, uint8_t *rho, uint8_t *mu, uint8_t eph33[33],
                           const uint8_t *session_key, const uint8_t *pubkeys, uint32_t n) {
    uint8_t e[32], ss[32], blind[32], cur[33];
    secp256k1_pubkey pk;
    uint32_t i;
    int rc = LW_SPHINX_OK;
    memcpy(e, session_key, 32);
    if (!lw_pubkey_create(cur, e)) rc = LW_SPHINX_BAD_SESSION_KEY;
    for (i = 0; rc == LW_SPHINX_OK && i < n; i++) {
        if (i == 0) memcpy(eph33, cur, 33);
        if (!lw_parse_pubkey(&pk, pubkeys + 33 * i, 33) || !secp256k1_ecdh(lw_ctx, ss, &pk, e, NULL, NULL)) {
            rc = LW_SPHINX_BAD_PUBKEY + (int)i;
            break;
        }
        memcpy(shared + 32 * i, ss, 32);
        lw_hash_hmac_sha256(rho + 32 * i, (const uint8_t *)"rho", 3, ss, 32, NULL, 0);
        lw_hash_hmac_sha256(mu + 32 * i, (const uint8_t *)"mu", 2, ss, 32, NULL, 0);
        if (i + 1 < n) {
            lw_hash_sha256(blind, cur, 33, ss, 32);
            if (!secp256k1_ec_seckey_tweak_mul(lw_ctx, e, blind) || !lw_pubkey_create(cur, e)) {
                rc = LW_SPHINX_BLINDING_FAILED;
            }
        }
    }
    lw_wipe(e, sizeof e);
    lw_wipe(ss, sizeof ss);
    lw_wipe(blind, sizeof blind);
    return rc;
}

/* F_i = (F_{i-1} || 0^{s_i}) XOR rho_i-stream[L - |F_{i-1}|, L + s_i), for hops 0..n-2.
 * Returns the filler length. */
static size_t build_filler(uint8_t *filler, const uint8_t *rho, const uint32_t *lens, uint32_t n, uint32_t ris) {
    size_t flen = 0;
    uint32_t i;
    for (i = 0; i + 1 < n; i++) {
        size_t s = (size_t)lens[i] + 32;
        memset(filler + flen, 0, s);
        lw_chacha20_xor_at(filler, filler, flen + s, rho + 32 * i, zero_nonce, 0, ris - flen);
        flen += s;
    }
    return flen;
}

/* packet: 1 + 33 + ris + 32 bytes out; shared: 32 * n bytes out; payloads: the n hop payloads
 * (each already BigSize-length-prefixed) back to back, lens[i] bytes each; work:
 * lw_sphinx_work_size(n, ris) bytes. Returns LW_SPHINX_OK or an error code above. */
LW_EXPORT(lw_sphinx_build) int lw_sphinx_build(uint8_t *packet, uint8_t *shared, const uint8_t *session_key,
                                               const uint8_t *pubkeys, const uint8_t *payloads, const uint32_t *lens,
                                               uint32_t n, const uint8_t *assoc, size_t assoc_len, uint32_t ris,
                                               uint8_t *work) {
    uint8_t *rho = work, *mu = work + 32 * (size_t)n, *filler = work + 64 * (size_t)n;
    uint8_t *routing = packet + 34, hmac[32], pad_key[32];
    size_t total = 0, flen, off;
    uint32_t i;
    int rc;

    if (n == 0 || ris == 0) return LW_SPHINX_BAD_ARGS;
    for (i = 0; i < n; i++) {
        if (lens[i] > ris) return LW_SPHINX_TOO_BIG;
        total += (size_t)lens[i] + 32;
        if (total > ris) return LW_SPHINX_TOO_BIG;
    }

    rc = derive_hop_keys(shared, rho, mu, packet + 1, session_key, pubkeys, n);
    if (rc != LW_SPHINX_OK) return rc;
    flen = build_filler(filler, rho, lens, n, ris);

    lw_hash_hmac_sha256(pad_key, (const uint8_t *)"pad", 3, session_key, 32, NULL, 0);
    memset(routing, 0, ris);
    lw_chacha20_xor_at(routing, routing, ris, pad_key, zero_nonce, 0, 0);
    lw_wipe(pad_key, sizeof pad_key);

    memset(hmac, 0, sizeof hmac);
    off = total - 32 * (size_t)n; /* end of the payload bytes, walked backwards */
    for (i = n; i-- > 0;) {
        size_t s = (size_t)lens[i] + 32;
        off -= lens[i];
        memmove(routing + s, routing, ris - s);
        memcpy(routing, payloads + off, lens[i]);
        memcpy(routing + lens[i], hmac, 32);
        lw_chacha20_xor_at(routing, routing, ris, rho + 32 * i, zero_nonce, 0, 0);
        if (i == n - 1) memcpy(routing + ris - flen, filler, flen);
        lw_hash_hmac_sha256(hmac, mu + 32 * i, 32, routing, ris, assoc, assoc_len);
    }
    packet[0] = 0x00; /* version */
    memcpy(routing + ris, hmac, 32);
    return LW_SPHINX_OK;
}
