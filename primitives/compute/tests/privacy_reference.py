#!/usr/bin/env python3
"""Reference values for `aichain_compute::privacy` (the integer Rényi-DP accountant).

Computes, with Google's `dp-accounting` library, epsilon of the Gaussian mechanism with noise
multiplier z = sigma / Delta composed T times, at a target delta, over a grid of cases, using
`RdpAccountant(orders=ORDERS)` with exactly the orders of the Rust accountant (`privacy::ORDERS`,
given there in quarters). It prints the rows of the table `REFERENCE` in
`primitives/compute/tests/privacy.rs`:

    (sensitivity_sq, sigma_sq, rounds, delta_per_10^18, epsilon_ref),

Usage: `python3 primitives/compute/tests/privacy_reference.py > rows.txt` (needs network
access to PyPI). It creates a virtual environment in a temporary directory, installs
dp-accounting there and re-runs itself inside it; nothing is installed outside that directory.

Pinned reference: dp-accounting 0.6.0 (the current release when the table was made), wheel
`dp_accounting-0.6.0-py3-none-any.whl`,
sha256 6b34aa04034b723235f62337869e6a7c132ceddd60d02d4c89ddf0e561c21d59.
It is installed with `--require-hashes --no-deps`; its dependencies (numpy, scipy, absl-py,
attrs, dm-tree, mpmath: platform-specific wheels, so not hash-pinned here) are then installed
within the ranges its metadata declares. The functions used (`_compute_rdp_poisson_subsampled_gaussian`
with q = 1, which is alpha / (2 z^2), and `compute_epsilon`) use numpy and math only.
"""
import math
import os
import subprocess
import sys
import tempfile

DP_ACCOUNTING = "dp-accounting==0.6.0"
DP_ACCOUNTING_SHA256 = "6b34aa04034b723235f62337869e6a7c132ceddd60d02d4c89ddf0e561c21d59"
# The `Requires-Dist` of dp-accounting 0.6.0.
DEPENDENCIES = [
    "absl-py>=1.0,<3",
    "attrs>=22,<24",
    "dm-tree~=0.1.8",
    "mpmath~=1.2",
    "numpy>=1.21,<3.0",
    "scipy~=1.7",
]

# RDP orders, in quarters: privacy::ORDERS_QUARTERS in the Rust crate (keep them equal).
ORDERS_QUARTERS = (
    [5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18]
    + [4 * a for a in range(5, 65)]
    + [4 * a for a in (72, 80, 96, 112, 128, 160, 192, 256, 320, 384, 512, 768, 1024)]
)
ORDERS = [k / 4 for k in ORDERS_QUARTERS]  # exact in binary floating point

# (sensitivity_sq, sigma_sq): noise multipliers sqrt(sigma_sq / sensitivity_sq) from 0.5 to 20,
# in small units and in the units of a quantized vector (Delta = 2^16, Delta^2 = 10^12).
NOISE = [
    (4, 1),  # z = 0.5
    (16, 9),  # z = 0.75
    (1, 1),  # z = 1
    (3, 7),  # z = 1.5275...
    (4, 9),  # z = 1.5
    (1, 4),  # z = 2
    (1, 9),  # z = 3
    (1 << 32, (1 << 32) * 21 // 2),  # z = sqrt(10.5) = 3.2403...
    (1, 25),  # z = 5
    (10**12, 3 * 10**13),  # z = sqrt(30) = 5.4772...
    (1, 64),  # z = 8
    (1, 144),  # z = 12
    (7, 2000),  # z = 16.903...
    (1, 400),  # z = 20
]
ROUNDS = [1, 2, 5, 10, 50, 100, 500, 1000]
DELTAS = [10**13, 10**12, 10**9]  # 1e-5, 1e-6, 1e-9 in parts per 10^18
# Edge cases (sensitivity_sq, sigma_sq, rounds, delta): epsilon = 0 by the KL bound (r < -ln(1 -
# delta^2)) and just above it, a bound below zero at a large delta, the extreme deltas.
EXTRA = [
    (1, 10**12, 1, 10**13),
    (1, 10**12, 100, 10**13),
    (1, 10**9, 1, 10**13),
    (1, 6_250_000_000, 1, 10**13),  # r(1.25) = 1e-10 = delta^2 < -ln(1 - delta^2): 0
    (1, 6_249_999_999, 1, 10**13),  # r(1.25) = 1e-10 (1 + 1.6e-10) > -ln(1 - delta^2)
    (1, 10**6, 1, 10**13),
    (1, 100, 1, 5 * 10**17),
    (1, 1, 1, 5 * 10**17),
    (1, 10, 1, 9 * 10**17),
    (1, 4, 10, 999_999_999_999_999_999),
    (1, 1, 1, 1),
    (1, 400, 1000, 1),
]


def rows():
    import dp_accounting
    from dp_accounting import rdp

    for sensitivity_sq, sigma_sq in NOISE:
        z = math.sqrt(sigma_sq / sensitivity_sq)
        for rounds in ROUNDS:
            accountant = rdp.RdpAccountant(orders=ORDERS)
            accountant.compose(
                dp_accounting.SelfComposedDpEvent(dp_accounting.GaussianDpEvent(z), rounds)
            )
            for delta in DELTAS:
                yield sensitivity_sq, sigma_sq, rounds, delta, accountant.get_epsilon(delta / 1e18)
    for sensitivity_sq, sigma_sq, rounds, delta in EXTRA:
        z = math.sqrt(sigma_sq / sensitivity_sq)
        accountant = rdp.RdpAccountant(orders=ORDERS)
        accountant.compose(dp_accounting.SelfComposedDpEvent(dp_accounting.GaussianDpEvent(z), rounds))
        yield sensitivity_sq, sigma_sq, rounds, delta, accountant.get_epsilon(delta / 1e18)


def inner():
    import importlib.metadata as md

    print(f"// dp-accounting {md.version('dp-accounting')}, numpy {md.version('numpy')},"
          f" scipy {md.version('scipy')}, python {sys.version.split()[0]}")
    for sensitivity_sq, sigma_sq, rounds, delta, eps in rows():
        print(f"\t({sensitivity_sq}, {sigma_sq}, {rounds}, {delta}, {float(eps)!r}),")


def outer():
    with tempfile.TemporaryDirectory() as tmp:
        venv = os.path.join(tmp, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        requirements = os.path.join(tmp, "requirements.txt")
        with open(requirements, "w") as f:
            f.write(f"{DP_ACCOUNTING} --hash=sha256:{DP_ACCOUNTING_SHA256}\n")
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run(pip + ["--require-hashes", "--no-deps", "-r", requirements],
                       check=True, stdout=sys.stderr)
        subprocess.run(pip + DEPENDENCIES, check=True, stdout=sys.stderr)
        subprocess.run([python, os.path.abspath(__file__), "--inner"], check=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--inner"]:
        inner()
    else:
        outer()
