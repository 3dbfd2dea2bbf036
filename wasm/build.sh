#!/usr/bin/env bash
# Reproducible build of wasm/lightning.wasm: libsecp256k1 0.2.0 from Debian's source package
# (pinned version, checked hash) plus our C in wasm/src, compiled by clang for wasm32 without a
# libc, linked by wasm-ld and optimized by wasm-opt. See wasm/README.md.
#
#   bash wasm/build.sh            rebuild and check the result equals the committed module
#   bash wasm/build.sh --update   rebuild and replace wasm/lightning.wasm and its .sha256
#   bash wasm/build.sh --out F    rebuild into F only (experiments with LW_WASM_* overrides)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CACHE="$ROOT/.cache/wasm"

DEB_VERSION=0.2.0-2
UPSTREAM=libsecp256k1-0.2.0
ORIG_TARBALL=libsecp256k1_0.2.0.orig.tar.xz
ORIG_SHA256=07c1d76fc485936138c6572e94374df22ba41df06617926572b8a690fe8bc34b

# Table sizes (see README.md for the measurements behind them). ECMULT_WINDOW_SIZE sizes the
# verification table (2 * 2^(w-2) points of 64 bytes), ECMULT_GEN_PREC_BITS the signing /
# pubkey table (256/b * 2^b points).
WINDOW=${LW_WASM_WINDOW:-6}
GEN_BITS=${LW_WASM_GEN_BITS:-4}
OPT=${LW_WASM_OPT:--Oz}
WASM_OPT_LEVEL=${LW_WASM_OPT_LEVEL:--O3}

MODE=verify OUT=
case "${1:-}" in
  "") ;;
  --update) MODE=update ;;
  --out) MODE=out; OUT=$(realpath -m "${2:?--out needs a file}") ;;
  *) echo "usage: $0 [--update | --out FILE]" >&2; exit 2 ;;
esac

die() { echo "build.sh: $*" >&2; exit 1; }
for t in clang-14 wasm-ld-14 wasm-opt gcc apt-get sha256sum tar xz; do
  command -v "$t" >/dev/null || die "missing tool: $t (Debian bookworm: apt-get install clang-14 lld-14 binaryen gcc xz-utils)"
done
wasm-opt --version | grep -q 'version 108' || echo "build.sh: warning: wasm-opt is not binaryen 108; the output may differ from the committed module" >&2

# --- 1. The library source: Debian's source package, through a private apt configuration (the
#        system's /etc/apt is never touched). Cached in .cache/ once its hash checks out.
fetch_source() {
  local dl="$CACHE/download" apt="$CACHE/apt"
  if [ -f "$dl/$ORIG_TARBALL" ] && echo "$ORIG_SHA256  $dl/$ORIG_TARBALL" | sha256sum -c --status; then
    return
  fi
  rm -rf "$dl" "$apt"
  mkdir -p "$dl" "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "deb-src http://deb.debian.org/debian bookworm main" > "$apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o quiet=1
              -o APT::Sandbox::User="$(id -un)")  # downloads into our own dirs, as ourselves
  apt-get "${opts[@]}" update >&2
  (cd "$dl" && apt-get "${opts[@]}" source --download-only "libsecp256k1=$DEB_VERSION" >&2)
  [ -f "$dl/$ORIG_TARBALL" ] || die "apt-get did not produce $ORIG_TARBALL"
  echo "$ORIG_SHA256  $dl/$ORIG_TARBALL" | sha256sum -c --status \
    || die "SHA-256 MISMATCH for $ORIG_TARBALL: got $(sha256sum "$dl/$ORIG_TARBALL" | cut -d' ' -f1), expected $ORIG_SHA256"
}

# --- 2. Unpack afresh and regenerate the precomputed tables with the tarball's own generators,
#        built natively (they write src/precomputed_ecmult{,_gen}.c into the source tree).
prepare_source() {
  rm -rf "$CACHE/$UPSTREAM" "$CACHE/native"
  tar -xf "$CACHE/download/$ORIG_TARBALL" -C "$CACHE"
  mkdir -p "$CACHE/native"
  local prog
  for prog in precompute_ecmult precompute_ecmult_gen; do
    gcc -O2 -w -DECMULT_WINDOW_SIZE="$WINDOW" -DECMULT_GEN_PREC_BITS="$GEN_BITS" \
      -o "$CACHE/native/$prog" "$CACHE/$UPSTREAM/src/$prog.c"
    (cd "$CACHE/$UPSTREAM" && "$CACHE/native/$prog")
  done
}

# --- 3. Compile each unit to a wasm32 object, link, optimize.
SRC="$CACHE/$UPSTREAM"
CFLAGS=(
  --target=wasm32-unknown-unknown -std=c11 "$OPT" -ffreestanding -nostdinc -isystem "$HERE/shim"
  -mbulk-memory -msign-ext -mmutable-globals ${LW_WASM_EXTRA_CFLAGS:-}
  -fno-ident -g0 "-ffile-prefix-map=$ROOT=." "-ffile-prefix-map=$CACHE=."
  -Wall -Wextra -Werror -Wno-unused-function
  -I "$SRC/include" -I "$SRC/src" -I "$HERE/src"
  -DUSE_FORCE_WIDEMUL_INT64=1 "-DECMULT_WINDOW_SIZE=$WINDOW" "-DECMULT_GEN_PREC_BITS=$GEN_BITS"
  -DENABLE_MODULE_ECDH=1 -DENABLE_MODULE_RECOVERY=1 -DUSE_EXTERNAL_DEFAULT_CALLBACKS=1
)
UNITS=(libc secp256k1_unit context keys ecdsa hash chacha20 sphinx)

build_module() {
  local obj="$CACHE/obj" u objs=()
  rm -rf "$obj" && mkdir -p "$obj"
  for u in "${UNITS[@]}"; do
    local extra=()
    [ "$u" = libc ] && extra=(-fno-builtin)
    clang-14 "${CFLAGS[@]}" "${extra[@]}" -c "$HERE/src/$u.c" -o "$obj/$u.o"
    objs+=("$obj/$u.o")
  done
  for u in precomputed_ecmult precomputed_ecmult_gen; do
    clang-14 "${CFLAGS[@]}" -c "$SRC/src/$u.c" -o "$obj/$u.o"
    objs+=("$obj/$u.o")
  done
  # Exports come from export_name attributes in wasm/src; memory is exported by default.
  # --stack-first puts the 64 KiB stack below the data, so an overflow traps instead of
  # silently overwriting the tables.
  wasm-ld-14 --no-entry --stack-first -z stack-size=65536 --export=__heap_base --strip-all \
    -o "$CACHE/lightning.linked.wasm" "${objs[@]}"
  wasm-opt "$WASM_OPT_LEVEL" --enable-bulk-memory --enable-sign-ext --enable-mutable-globals ${LW_WASM_EXTRA_OPTFLAGS:-} \
    --strip-debug --strip-producers "$CACHE/lightning.linked.wasm" -o "$CACHE/lightning.wasm"
}

fetch_source
prepare_source
build_module

BUILT="$CACHE/lightning.wasm"
HASH=$(sha256sum "$BUILT" | cut -d' ' -f1)
SIZE=$(stat -c %s "$BUILT")
case "$MODE" in
  out)
    cp "$BUILT" "$OUT"
    echo "built $OUT ($SIZE bytes, sha256 $HASH)" ;;
  update)
    cp "$BUILT" "$HERE/lightning.wasm"
    echo "$HASH  lightning.wasm" > "$HERE/lightning.wasm.sha256"
    echo "updated wasm/lightning.wasm ($SIZE bytes, sha256 $HASH)" ;;
  verify)
    [ -f "$HERE/lightning.wasm.sha256" ] || die "no committed wasm/lightning.wasm.sha256; run with --update"
    WANT=$(cut -d' ' -f1 "$HERE/lightning.wasm.sha256")
    [ "$HASH" = "$WANT" ] || die "rebuilt module differs: sha256 $HASH, committed $WANT (use --update to replace it)"
    cmp -s "$BUILT" "$HERE/lightning.wasm" || die "wasm/lightning.wasm does not match wasm/lightning.wasm.sha256"
    echo "reproduced wasm/lightning.wasm ($SIZE bytes, sha256 $HASH)" ;;
esac
