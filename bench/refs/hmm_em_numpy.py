#!/usr/bin/env python3
"""Reference for bench/hmm-em.bench.ts: scaled Baum-Welch for a categorical HMM in numpy, written
the usual numpy way (a Python loop over time steps, vectorised over the states at each step; the
transition counts of a sequence as one matrix product; emission counts with np.add.at).

Usage: hmm_em_numpy.py DIR [--iterations K]
DIR holds meta.json ({"nStates", "nSymbols", "pseudoCount"}) and little-endian raw arrays:
initial.f64 (N), transition.f64 (N*N), emission.f64 (N*M), symbols.i32, offsets.i32.
Runs one warm-up iteration, then K timed iterations (E-step + M-step, same pseudo-count as ours),
and prints one JSON line: secondsPerIteration, logLikelihoods (one per iteration, warm-up first),
numpy version.
"""
import json
import os
import sys
import time

import numpy as np


def e_step(pi, A, B, symbols, offsets):
    n, m = B.shape
    initial_counts = np.zeros(n)
    transition_counts = np.zeros((n, n))
    emission_counts = np.zeros((n, m))
    log_likelihood = 0.0
    for s in range(len(offsets) - 1):
        obs = symbols[offsets[s]:offsets[s + 1]]
        T = len(obs)
        if T == 0:
            continue
        b = B[:, obs].T  # T x N: b[t, j] = B[j, o_t]
        alpha = np.empty((T, n))
        c = np.empty(T)
        a = pi * b[0]
        c[0] = a.sum()
        alpha[0] = a / c[0]
        for t in range(1, T):
            a = (alpha[t - 1] @ A) * b[t]
            c[t] = a.sum()
            alpha[t] = a / c[t]
        beta = np.empty((T, n))
        beta[-1] = 1.0
        for t in range(T - 2, -1, -1):
            beta[t] = A @ (b[t + 1] * beta[t + 1]) / c[t + 1]
        gamma = alpha * beta
        log_likelihood += np.log(c).sum()
        initial_counts += gamma[0]
        weighted = b[1:] * beta[1:] / c[1:, None]
        transition_counts += (alpha[:-1].T @ weighted) * A
        np.add.at(emission_counts.T, obs, gamma)
    return log_likelihood, initial_counts, transition_counts, emission_counts


def normalise(counts, eps):
    counts = counts + eps
    return counts / counts.sum(axis=-1, keepdims=True)


def main():
    folder = sys.argv[1]
    iterations = int(sys.argv[sys.argv.index("--iterations") + 1]) if "--iterations" in sys.argv else 2
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    n, m, eps = meta["nStates"], meta["nSymbols"], meta["pseudoCount"]
    read = lambda name, dtype: np.fromfile(os.path.join(folder, name), dtype=dtype)
    pi = read("initial.f64", "<f8")
    A = read("transition.f64", "<f8").reshape(n, n)
    B = read("emission.f64", "<f8").reshape(n, m)
    symbols = read("symbols.i32", "<i4").astype(np.intp)
    offsets = read("offsets.i32", "<i4")

    log_likelihoods = []
    seconds = []
    for k in range(iterations + 1):
        started = time.perf_counter()
        ll, ic, tc, ec = e_step(pi, A, B, symbols, offsets)
        pi, A, B = normalise(ic, eps), normalise(tc, eps), normalise(ec, eps)
        seconds.append(time.perf_counter() - started)
        log_likelihoods.append(float(ll))
    timed = seconds[1:] if iterations > 0 else seconds
    print(json.dumps({
        "secondsPerIteration": sum(timed) / len(timed),
        "logLikelihoods": log_likelihoods,
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
