/* Freestanding <string.h>. The functions are defined in wasm/src/libc.c; the macros let clang
 * inline fixed-size copies (libsecp256k1 does many 32-byte memcpy/memset calls) instead of
 * calling out, which it would not do under -ffreestanding. */
#ifndef LW_SHIM_STRING_H
#define LW_SHIM_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#ifndef LW_LIBC_IMPL
#define memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define memset(d, c, n) __builtin_memset((d), (c), (n))
#define memcmp(a, b, n) __builtin_memcmp((a), (b), (n))
#endif

#endif
