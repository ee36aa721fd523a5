#!/usr/bin/env bash
# Installs the parts of the CUDA 13.0 toolkit that compiling candle's `cuda` backend needs (nvcc,
# its NVVM back end cicc, the device headers, the runtime headers, CCCL's thrust/cub), from
# NVIDIA's wheels on PyPI, pinned by version and SHA-256:
#
#   bash scripts/cuda-toolkit.sh        # prints the toolkit's folder (CUDA_HOME)
#
# The wheels unpack into one tree, nvidia/cu13/{bin,nvvm,include,lib}, the layout nvcc.profile
# expects, under $AICHAIN_CUDA_DIR (default ~/.cache/aichain/cuda-13.0). No driver and no GPU are
# needed to compile; running the kernels needs both (a node with `--worker-device cuda`).
# Idempotent: a folder whose stamp lists the same wheels is kept.
set -euo pipefail
log() { printf '[cuda-toolkit] %s\n' "$*" >&2; }

DIR="${AICHAIN_CUDA_DIR:-$HOME/.cache/aichain/cuda-13.0}"
# name==version --hash=sha256:... (pip checks every hash: --require-hashes).
REQUIREMENTS="$(cat <<'REQ'
nvidia-cuda-nvcc==13.0.88 --hash=sha256:56fe502eb77625a12f25172caa3cdddb4e4c8ba2c8c17dba44b164761b380f03
nvidia-nvvm==13.0.88 --hash=sha256:c5f41ffeb6466944a026dfa5317d7d85355c119bbec279205d22f1869d1054e0
nvidia-cuda-crt==13.0.88 --hash=sha256:2c8043c7c9e02492716426e9919fc78d2c5b3b2a7a768a88e952676b08aa55a4
nvidia-cuda-runtime==13.0.96 --hash=sha256:7f82250d7782aa23b6cfe765ecc7db554bd3c2870c43f3d1821f1d18aebf0548
nvidia-cuda-cccl==13.0.85 --hash=sha256:e0da7ad981f3a8aff08241b5bfc1af868742a63e2762f53a5171c492ef242649
REQ
)"
HOME_DIR="$DIR/nvidia/cu13"
if [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$REQUIREMENTS" ] && [ -x "$HOME_DIR/bin/nvcc" ]; then
  echo "$HOME_DIR"
  exit 0
fi

log "downloading the CUDA 13.0 compiler wheels from PyPI"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%s\n' "$REQUIREMENTS" > "$work/requirements.txt"
python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
  --platform manylinux2014_x86_64 --python-version 3.11 --dest "$work/wheels" -r "$work/requirements.txt"
rm -rf "$DIR"
mkdir -p "$DIR"
python3 - "$DIR" "$work"/wheels/*.whl <<'PY'
import sys, zipfile
out = sys.argv[1]
for wheel in sys.argv[2:]:
    with zipfile.ZipFile(wheel) as z:
        for member in z.namelist():
            if member.startswith("nvidia/cu13/"):
                z.extract(member, out)
PY
chmod +x "$HOME_DIR"/bin/* "$HOME_DIR"/nvvm/bin/*
printf '%s' "$REQUIREMENTS" > "$DIR/stamp"
log "installed nvcc $("$HOME_DIR/bin/nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p') in $HOME_DIR"
echo "$HOME_DIR"
