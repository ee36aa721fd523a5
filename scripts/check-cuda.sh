#!/usr/bin/env bash
# Compiles the compute engine with candle's CUDA backend (`aichain-offchain-worker --features
# cuda`: every model, the character model's shard training on the GPU included), with the CUDA
# 13.0 compiler of scripts/cuda-toolkit.sh, for NVIDIA GPUs of compute capability 9.0 (H100,
# H200) unless CUDA_COMPUTE_CAP says otherwise:
#
#   bash scripts/check-cuda.sh
#
# `cargo check`: nvcc compiles candle's kernels (PTX, and the quantized-matmul library) and rustc
# type-checks every crate against cudarc; nothing is linked, so neither a GPU nor its driver
# libraries are needed. The first run compiles the kernels (21 minutes on 2 cores here; cargo
# keeps them in the target directory), later runs only what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"
CUDA_HOME="$(bash "$ROOT/scripts/cuda-toolkit.sh")"
export CUDA_HOME NVCC="$CUDA_HOME/bin/nvcc" PATH="$CUDA_HOME/bin:$PATH"
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-90}"
cd "$ROOT"
cargo check --release --locked -p aichain-offchain-worker --features cuda
