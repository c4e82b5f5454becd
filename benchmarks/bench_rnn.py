"""Forward + backward time of helpers.rnn against torch.nn.RNN, measured in one run, as a ratio,
with one thread for each library.

    python benchmarks/bench_rnn.py            # or: make bench
    python benchmarks/bench_rnn.py --quick    # fewer repeats, for a smoke test

For each size (T, B, D, H) the script
  1. builds seeded random float64 weights and copies them into torch.nn.RNN(D, H, tanh),
  2. checks that both give the same h (max |diff| < 1e-10) and the same gradients of
     L = Σ h·G for a fixed random G (so dL/dh = G) with respect to W_xh, W_hh, b_h, x and h0,
  3. times forward + backward of both, interleaved, and reports medians and the ratio
     helpers / torch (goal: <= 0.6 at every size), with helpers' throughput as a fraction of
     this machine's one-thread float64 matrix-multiply peak (measured here with numpy),
  4. times, against torch in the same way, the numpy floor: only the matmuls and tanh that every
     float64 numpy forward + backward has to do, each in its fastest layout, into preallocated
     buffers (see make_floor). No numpy float64 version of the helpers can get below
     floor / torch on this machine.

One thread each: numpy's OpenBLAS is limited to one thread before numpy is imported
(OPENBLAS_NUM_THREADS=1, set below, overriding the environment) and torch by
torch.set_num_threads(1). The course's kernels run that way (`make lab`), the comparison does not
depend on how each library splits small products over the two cores of the machine, and no
library leaves worker threads busy-waiting while the other is timed (see time_pair).

torch is an optional extra used only here (pip install -e '.[bench]'). Nothing in this file is
a test: it prints figures and exits 0 unless the two implementations disagree.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import glob
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# One thread for numpy: OpenBLAS reads these when numpy loads it, so they are set before the import
# (a numpy imported earlier keeps its threads; main() reports the count it finds and warns).
THREADS = 1
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import numpy as np  # noqa: E402

try:
    import torch  # noqa: E402
except ImportError:
    sys.exit("bench_rnn.py compares helpers.rnn with torch.nn.RNN, but torch is not installed.\n"
             "Run `make bench` (it installs the bench extra), or install it yourself:\n"
             "    pip install -e '.[bench]'      (CPU torch 2.13.0, used only by the benchmarks)")

from helpers.rnn import rnn_backward, rnn_forward  # noqa: E402

SIZES = [(50, 1, 3, 16), (100, 32, 8, 64), (200, 64, 16, 128)]   # (T, B, D, H)
GOAL = 0.6            # helpers time / torch time, one thread each, at every size
SEED = 20261124
H_TOL = 1e-10         # max |h_helpers - h_torch|
GRAD_TOL = 1e-12      # relative error ‖a − b‖ / (‖a‖ + ‖b‖) of each gradient


# ---------------------------------------------------------------------------------------------
# The machine: numpy's BLAS threads, the float64 matmul peak
# ---------------------------------------------------------------------------------------------

def numpy_blas_info() -> dict:
    """Threads and core type of numpy's BLAS: threadpoolctl if installed, else ask numpy's own
    OpenBLAS through ctypes, else None (and say why)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        pass
    else:
        for info in threadpool_info():
            if info.get("user_api") == "blas" and "numpy" in info.get("filepath", ""):
                return {"threads": info["num_threads"], "core": info.get("architecture", "?"),
                        "how": "threadpoolctl"}
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*"))
    libs += glob.glob(os.path.join(os.path.dirname(np.__file__), ".libs", "*openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)          # already loaded by numpy: the same handle comes back
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("openblas", "64_"), ("openblas", "")):
            threads = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            corename = getattr(lib, f"{prefix}_get_corename{suffix}", None)
            if threads is not None:
                core = "?"
                if corename is not None:
                    corename.restype = ctypes.c_char_p
                    core = corename().decode()
                return {"threads": int(threads()), "core": core,
                        "how": "threadpoolctl not installed; asked numpy's OpenBLAS via ctypes"}
    return {"threads": None, "core": "?",
            "how": "threadpoolctl not installed and numpy's OpenBLAS not found: thread count unknown"}


def matmul_peak(n: int = 2048, repeats: int = 5) -> float:
    """Best-of-`repeats` float64 GFLOP/s of an n×n by n×n numpy matmul (2n³ flops)."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = np.empty((n, n))
    np.matmul(a, b, out=c)                                   # warm up
    best = min(_timed(lambda: np.matmul(a, b, out=c)) for _ in range(repeats))
    return 2.0 * n ** 3 / best / 1e9


def _spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# ---------------------------------------------------------------------------------------------
# One size: build, check agreement, time
# ---------------------------------------------------------------------------------------------

def matmul_flops(T: int, B: int, D: int, H: int) -> int:
    """Multiply-add flops (2·m·n·k per matmul) of forward + backward; element-wise work not counted.

    forward:  input projection x W_xhᵀ            2·TB·D·H
              recurrent h[t-1] W_hhᵀ, T steps      2·TB·H·H
    backward: recurrent dz[t] W_hh, T steps       2·TB·H·H
              dx = dz W_xh                        2·TB·H·D
              dW_xh = dzᵀ x                       2·H·TB·D
              dW_hh = dzᵀ h_prev                  2·H·TB·H
    total = 6·T·B·H·(D + H)
    """
    return 6 * T * B * H * (D + H)


def make_problem(T: int, B: int, D: int, H: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((T, B, D)),
        "h0": 0.1 * rng.standard_normal((B, H)),
        "W_xh": rng.standard_normal((H, D)) / np.sqrt(D),
        "W_hh": rng.standard_normal((H, H)) / np.sqrt(H),    # spectral radius about 1
        "b_h": 0.1 * rng.standard_normal(H),
        "G": rng.standard_normal((T, B, H)),                   # L = Σ h·G, so dL/dh = G
    }


def make_torch(p: dict):
    """torch.nn.RNN with the same weights. torch has two biases: b_ih = b_h and b_hh = 0."""
    T, B, D = p["x"].shape
    H = p["W_hh"].shape[0]
    rnn = torch.nn.RNN(D, H, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                       dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(p["W_xh"]))
        rnn.weight_hh_l0.copy_(torch.from_numpy(p["W_hh"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(p["b_h"]))
        rnn.bias_hh_l0.zero_()
    x = torch.from_numpy(p["x"].copy()).requires_grad_(True)
    h0 = torch.from_numpy(p["h0"][None].copy()).requires_grad_(True)      # (layers=1, B, H)
    G = torch.from_numpy(p["G"])
    leaves = [rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0, x, h0]

    def step():
        h, _ = rnn(x, h0)
        return h, torch.autograd.grad((h * G).sum(), leaves)

    return step


def make_helpers(p: dict):
    def step():
        h, cache = rnn_forward(p["x"], p["h0"], p["W_xh"], p["W_hh"], p["b_h"], "tanh")
        return h, rnn_backward(p["G"], cache)
    return step


def make_floor(p: dict):
    """What the matmuls and tanh of a forward + backward cost on their own, at their fastest.

    The same products as helpers (the input projection, T recurrent products each way, ∂L/∂x,
    ∂L/∂W_xh, ∂L/∂W_hh) and the T tanh calls of the forward pass, each in the fastest layout
    measured on this machine (the recurrent products as W_hh·hᵀ and W_hhᵀ·dzᵀ on (H, B) states,
    about 27 µs against 30-36 µs for h·W_hhᵀ and dz·W_hh at the largest size; the parameter
    products on a Fortran-ordered ∂L/∂z), every buffer allocated once, no input checks, no cache
    and none of the element-wise work (adding the input term, multiplying by φ'). Any numpy
    float64 forward + backward makes these calls and more. The arrays stand in for the real ones
    (G for ∂L/∂z, which needs the skipped work), so this is timed, not checked.
    """
    x, W_xh, W_hh, G = p["x"], p["W_xh"], p["W_hh"], p["G"]
    T, B, D = x.shape
    H = W_hh.shape[0]
    x2, xF = x.reshape(T * B, D), np.asfortranarray(x.reshape(T * B, D))
    dz, dzF = G.reshape(T * B, H), np.asfortranarray(G.reshape(T * B, H))
    h_prev_all = np.tanh(dz)                               # stands in for the states h[t-1], (T·B, H)
    W_hh_Tc = np.ascontiguousarray(W_hh.T)
    hT, dzT = np.empty((T, H, B)), np.ascontiguousarray(G.transpose(0, 2, 1))   # (H, B) per step
    z, gT = np.empty((T * B, H)), np.empty((H, B))
    dx, dW_xh, dW_hh = np.empty((T * B, D)), np.empty((H, D)), np.empty((H, H))
    h0T = np.ascontiguousarray(p["h0"].T)

    def step():
        np.matmul(x2, W_xh.T, out=z)
        h_prev = h0T
        for t in range(T):
            np.matmul(W_hh, h_prev, out=hT[t])
            h_prev = np.tanh(hT[t], out=hT[t])
        for t in range(T - 1, -1, -1):
            np.matmul(W_hh_Tc, dzT[t], out=gT)
        np.matmul(dz, W_xh, out=dx)
        np.matmul(dzF.T, xF, out=dW_xh)
        np.matmul(dzF.T, h_prev_all, out=dW_hh)

    return step


def rel_err(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def check_agreement(helpers_step, torch_step) -> dict:
    h, g = helpers_step()
    th, tg = torch_step()
    tg = [t.detach().numpy() for t in tg]
    pairs = {"W_xh": tg[0], "W_hh": tg[1], "b_h": tg[2], "x": tg[4], "h0": tg[5][0]}
    out = {"h": float(np.max(np.abs(h - th.detach().numpy())))}
    out.update({k: rel_err(g[k], v) for k, v in pairs.items()})
    # b_hh enters exactly like b_ih, so torch's two bias gradients must both equal ours.
    out["b_h (torch b_hh)"] = rel_err(g["b_h"], tg[3])
    return out


def calibrate(fn, target: float) -> int:
    """Calls per sample so that one sample takes about `target` seconds."""
    fn()
    once = min(_timed(fn) for _ in range(3))
    return max(1, int(round(target / max(once, 1e-7))))


def sample(fn, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def time_pair(helpers_step, torch_step, samples: int, target: float, settle: float):
    """Interleaved samples (the order alternates each round); per-call seconds of each.

    Before each sample the script pauses `settle` seconds and makes one untimed call. The pause
    dates from the runs with two threads per library, where each library otherwise ran while the
    other's worker threads were still spinning: OpenBLAS's threads busy-wait for about 0.1 s after
    numpy's last matmul, and on 2 cores that took a core from torch, which then measured 2-3×
    slower than on its own. With one thread each (THREADS) there are no worker threads to spin;
    the pause is kept so that each sample starts from the same state, and it spins rather than
    sleeps: after a sleep this machine ran both libraries about 1.7× slower for the whole next
    sample (idle cores clocking down).
    """
    n_h, n_t = calibrate(helpers_step, target), calibrate(torch_step, target)
    th, tt = [], []
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for r in range(samples):
            for fn, n, out in ((helpers_step, n_h, th), (torch_step, n_t, tt))[::1 if r % 2 == 0 else -1]:
                _spin(settle)
                fn()
                out.append(sample(fn, n))
    finally:
        if gc_was_on:
            gc.enable()
    return th, tt


def quartiles(xs):
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


# ---------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=15, help="interleaved samples per size (default 15)")
    ap.add_argument("--target", type=float, default=0.05,
                    help="seconds per sample; calls per sample are chosen to fill it (default 0.05)")
    ap.add_argument("--settle", type=float, default=0.25,
                    help="seconds of (spinning) pause before each sample, so each sample starts "
                         "from the same state (default 0.25)")
    ap.add_argument("--quick", action="store_true", help="5 samples of 0.02 s: a smoke test, not figures")
    args = ap.parse_args(argv)
    if args.quick:
        args.samples, args.target = 5, 0.02

    blas = numpy_blas_info()
    torch.set_num_threads(THREADS)
    env = {k: os.environ.get(k, "(unset)") for k in
           ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}

    print("helpers.rnn vs torch.nn.RNN: forward + backward, CPU, float64, tanh")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} logical cores, {platform.python_implementation()} "
          f"{platform.python_version()}")
    print(f"  numpy {np.__version__}: BLAS threads = {blas['threads'] if blas['threads'] else 'unknown'}, "
          f"OpenBLAS core = {blas['core']} ({blas['how']})")
    print(f"  torch {torch.__version__}: threads = {torch.get_num_threads()} (torch.set_num_threads({THREADS}))")
    if blas["threads"] not in (THREADS, None):
        print(f"  WARNING: numpy's BLAS runs {blas['threads']} threads, not {THREADS} (numpy was imported "
              "before this script set OPENBLAS_NUM_THREADS): the ratios are not one thread each")
    print("  environment: " + ", ".join(f"{k}={v}" for k, v in env.items()))
    print(f"  load average before the run: {_load()} (other work on the machine skews the figures)")
    if torch.__version__.split("+")[0] != "2.13.0":
        print(f"  note: the bench extra pins torch 2.13.0; this is {torch.__version__}")

    peak = matmul_peak()
    print(f"  float64 matmul peak (numpy, one thread, 2048×2048 @ 2048×2048, best of 5): {peak:.1f} GFLOP/s")
    print(f"  {args.samples} interleaved samples of ~{args.target * 1e3:.0f} ms per implementation and size, "
          f"each after a {args.settle:g} s pause and one untimed call; medians reported")
    print("  flops: matmuls only, 2·m·n·k each: forward + backward = 6·T·B·H·(D+H)")
    print("  torch: bias_ih = b_h, bias_hh = 0; loss (h*G).sum(), grads of all weights, x and h0")
    print()

    rows, ok = [], True
    for i, (T, B, D, H) in enumerate(SIZES):
        p = make_problem(T, B, D, H, SEED + i)
        hs, ts = make_helpers(p), make_torch(p)
        agree = check_agreement(hs, ts)
        good = agree["h"] < H_TOL and all(v <= GRAD_TOL for k, v in agree.items() if k != "h")
        ok &= good
        print(f"  (T, B, D, H) = {(T, B, D, H)}: agreement {'OK' if good else 'FAILED'}: "
              f"max|Δh| = {agree['h']:.1e}; gradient rel. errors "
              + ", ".join(f"{k} {v:.1e}" for k, v in agree.items() if k != "h"))
        th, tt = time_pair(hs, ts, args.samples, args.target, args.settle)
        tf, tt2 = time_pair(make_floor(p), ts, args.samples, args.target, args.settle)
        mh, mt = statistics.median(th), statistics.median(tt)
        q1, q3 = quartiles([a / b for a, b in zip(th, tt, strict=True)])
        gflops = matmul_flops(T, B, D, H) / mh / 1e9
        best = min(th) / min(tt)
        floor = statistics.median(tf) / statistics.median(tt2)
        rows.append(((T, B, D, H), mh * 1e3, mt * 1e3, mh / mt, q1, q3, best, gflops, 100 * gflops / peak,
                     statistics.median(tf) * 1e3, floor))

    print()
    head = ("size (T, B, D, H)", "helpers ms", "torch ms", "ratio", "ratio IQR", "ratio of bests",
            f"ratio ≤ {GOAL}", "helpers GFLOP/s", "% of peak", "floor ms", "floor / torch")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for size, mh, mt, r, q1, q3, best, gf, pct, fl, flr in rows:
        print(f"| {size} | {mh:.3f} | {mt:.3f} | {r:.3f} | {q1:.3f}–{q3:.3f} | {best:.3f} | "
              f"{'yes' if r <= GOAL else 'no'} | {gf:.1f} | {pct:.1f} | {fl:.3f} | {flr:.3f} |")
    print()
    print("ratio = median helpers / median torch (the goal is judged on it); ratio IQR = quartiles of the")
    print("per-round ratios; ratio of bests = fastest helpers / fastest torch sample (least disturbed by")
    print("other work); GFLOP/s from the median helpers time and the matmul flops above. floor = the")
    print("matmuls and tanh alone, each in its fastest layout, preallocated (make_floor), timed against")
    print("torch in its own rounds: a numpy float64 version does all of that and its element-wise work")
    print("besides, so its ratio cannot be below floor / torch.")
    print(f"load average after the run: {_load()}")
    met = all(r[3] <= GOAL for r in rows)
    print(f"goal (helpers ≤ {GOAL} × torch at every size): {'met' if met else 'NOT met'}")
    print()
    print("helpers / torch, forward + backward, one thread each: "
          + " · ".join(f"{r[3]:.2f}" for r in rows) + f" (goal ≤ {GOAL} at every size"
          + ("" if met else "; NOT met at " + ", ".join(str(r[0]) for r in rows if r[3] > GOAL)) + ")")
    if not ok:
        print("helpers.rnn and torch.nn.RNN DISAGREE (see above): the timings compare different work.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
