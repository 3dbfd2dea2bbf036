/* The module's single libsecp256k1 context, created with the preallocated API in static memory
 * (there is no malloc), and its side-channel blinding. */
#include "lw.h"
#include "secp256k1_preallocated.h"

/* The context is a few hundred bytes (the generator tables are static data, not per context);
 * lw_init checks the real size against this buffer. */
static _Alignas(16) unsigned char lw_ctx_buf[1024];

secp256k1_context *lw_ctx;

/* Creates the context and blinds it with 32 random bytes from the host (the JS side passes
 * crypto.getRandomValues output; NULL leaves the default blinding). Returns 1 on success. */
LW_EXPORT(lw_init) int lw_init(const uint8_t *seed32) {
    if (lw_ctx == NULL) {
        size_t need = secp256k1_context_preallocated_size(SECP256K1_CONTEXT_NONE);
        if (need == 0 || need > sizeof(lw_ctx_buf)) return 0;
        lw_ctx = secp256k1_context_preallocated_create(lw_ctx_buf, SECP256K1_CONTEXT_NONE);
        if (lw_ctx == NULL) return 0;
    }
    return seed32 == NULL ? 1 : secp256k1_context_randomize(lw_ctx, seed32);
}
