/* Freestanding <stdlib.h>. There is no heap: the module uses libsecp256k1's preallocated
 * context API, so allocation always fails (libsecp256k1 then reports through its error
 * callback instead of touching memory). abort() traps. */
#ifndef LW_SHIM_STDLIB_H
#define LW_SHIM_STDLIB_H

#include <stddef.h>

static inline void *malloc(size_t n) { (void)n; return NULL; }
static inline void *realloc(void *p, size_t n) { (void)p; (void)n; return NULL; }
static inline void free(void *p) { (void)p; }
static inline _Noreturn void abort(void) { __builtin_trap(); }

#endif
