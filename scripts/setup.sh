#!/usr/bin/env bash
# Idempotent machine set-up for building and testing the chain.
#
# Installs (only what is missing, and says what it did):
#   - Debian packages: clang/libclang (bindgen), protobuf-compiler (litep2p), lld, and, when
#     `rustup target add wasm32v1-none` is impossible (no network to rustup), Debian's rustc-web
#     compiler with its standard-library sources;
#   - a `wasm32v1-none` sysroot (core, alloc, compiler_builtins) built from those sources;
#   - npm packages of the end-to-end and network tests in zombienet/ (polkadot.js API, zombienet CLI);
#   - a Python virtual environment with substrate-interface (PyPI) for the Python client test.
# Every other script sources this one first. Safe to run any number of times.
set -euo pipefail

log() { printf '[setup] %s\n' "$*" >&2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# --- Debian packages -------------------------------------------------------------------------
need_pkgs=()
for p in clang libclang-dev protobuf-compiler lld-22 rustc-web cargo-web rust-web-src rust-web-llvm; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
else
  log "Debian packages already installed"
fi

# --- wasm32v1-none sysroot for Debian's rustc ------------------------------------------------
SYSROOT_LIB=/usr/lib/rustlib/wasm32v1-none/lib
RUSTC_VER="$(/usr/bin/rustc --version)"
if [ -f "$SYSROOT_LIB/.built-by" ] && [ "$(cat "$SYSROOT_LIB/.built-by")" = "$RUSTC_VER" ]; then
  log "wasm32v1-none sysroot present for $RUSTC_VER"
else
  log "building wasm32v1-none sysroot (core, alloc) for $RUSTC_VER"
  d="$(mktemp -d)"; mkdir "$d/src"; echo '#![no_std]' > "$d/src/lib.rs"
  printf '[package]\nname="sysroot-seed"\nversion="0.0.0"\nedition="2021"\n[workspace]\n' > "$d/Cargo.toml"
  (cd "$d" && PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
     RUSTFLAGS="-C embed-bitcode=yes" CARGO_TARGET_DIR="$d/target" /usr/bin/cargo build -q --release \
     --target wasm32v1-none -Z build-std=core,alloc)
  install -d "$SYSROOT_LIB"
  rm -f "$SYSROOT_LIB"/lib{core,alloc,compiler_builtins}-*.rlib
  cp "$d"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$SYSROOT_LIB/"
  echo "$RUSTC_VER" > "$SYSROOT_LIB/.built-by"
  rm -rf "$d"
fi

# --- npm packages for end-to-end tests --------------------------------------------------------
if [ -f "$ROOT/zombienet/package.json" ]; then
  if [ ! -d "$ROOT/zombienet/node_modules" ] || [ "$ROOT/zombienet/package.json" -nt "$ROOT/zombienet/node_modules/.setup-stamp" ]; then
    log "installing npm packages for zombienet"
    (cd "$ROOT/zombienet" && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.setup-stamp)
  else
    log "npm packages for zombienet already installed"
  fi
fi
# --- Python client of the end-to-end tests (docs/dapp-developers.md) --------------------------
PY_VENV="$HOME/.cache/aichain/py-substrate"
if [ -x "$PY_VENV/bin/python" ] && "$PY_VENV/bin/python" -c 'import substrateinterface' 2>/dev/null; then
  log "Python substrate-interface present in $PY_VENV"
else
  log "installing substrate-interface==1.8.1 (PyPI) into $PY_VENV"
  python3 -m venv "$PY_VENV"
  "$PY_VENV/bin/pip" install --quiet substrate-interface==1.8.1
fi
log "done"
