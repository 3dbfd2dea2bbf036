/* Freestanding <stdio.h>: there is no output. libsecp256k1's util.h includes it for messages
 * that only its tests and its default callbacks print; we build with our own callbacks
 * (USE_EXTERNAL_DEFAULT_CALLBACKS), so these stubs only have to compile. */
#ifndef LW_SHIM_STDIO_H
#define LW_SHIM_STDIO_H

typedef struct lw_file FILE;
#define stderr ((FILE *)0)
static inline int fprintf(FILE *f, const char *fmt, ...) { (void)f; (void)fmt; return 0; }

#endif
