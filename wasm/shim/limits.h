/* Freestanding <limits.h> for wasm32 (checked by libsecp256k1's assumptions.h). */
#ifndef LW_SHIM_LIMITS_H
#define LW_SHIM_LIMITS_H

#define CHAR_BIT 8
#define SCHAR_MAX 127
#define UCHAR_MAX 255
#define INT_MAX 2147483647
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX 4294967295U
#define LONG_MAX 2147483647L
#define ULONG_MAX 4294967295UL

#endif
