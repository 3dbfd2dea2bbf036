/* SHA-256 and HMAC-SHA256 exports (the hashing itself is libsecp256k1's, via lw.h). */
#include "lw.h"

LW_EXPORT(lw_sha256) void lw_sha256(uint8_t *out32, const uint8_t *data, size_t len) {
    lw_hash_sha256(out32, data, len, NULL, 0);
}

/* Any key length (longer than a block is hashed first, per RFC 2104). */
LW_EXPORT(lw_hmac_sha256) void lw_hmac_sha256(uint8_t *out32, const uint8_t *key, size_t keylen, const uint8_t *data, size_t len) {
    lw_hash_hmac_sha256(out32, key, keylen, data, len, NULL, 0);
}
