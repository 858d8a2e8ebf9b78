#!/usr/bin/env python3
"""PyTorch reference for bench/lstm.bench.ts: the seeds' LSTM next-note model, one training step.

Reads FOLDER/meta.json ({"windowLength", "batchSize", "units": [...], "pitchWeight", "learningRate",
"epsilon", "weights": [{"name", "shape"}...]}), FOLDER/<name>.f32 for every initial weight (the
bench's own initial weights, Keras layouts), and the batch (inputs.f32 time-major [T, B, 3],
pitch.i32, step.f32, duration.f32). Builds the same model (LSTM layers -> pitch/step/duration heads,
sparse cross-entropy from logits weighted by pitchWeight + MSE with positive pressure on step and
duration), Adam with the same epsilon, and times training steps on the same batch, single-threaded.
Prints one JSON line: msPerStep (best round's mean), rounds, losses (the first steps), torch, blas.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn


def read(folder, name, dtype, shape):
    return torch.from_numpy(np.fromfile(os.path.join(folder, name), dtype=dtype).reshape(shape).copy())


def blas_in_use():
    """Which BLAS this process mapped (Debian's torch uses the system libblas.so.3 alternative)."""
    try:
        with open('/proc/self/maps') as maps:
            text = maps.read()
    except OSError:
        return 'unknown'
    for name in ('openblas', 'mkl', 'blis', 'atlas'):
        if name in text:
            return name
    return 'reference (netlib) BLAS' if 'libblas.so' in text else 'unknown'


class NoteLstm(nn.Module):
    def __init__(self, units, weights):
        super().__init__()
        self.layers = nn.ModuleList()
        inputs = 3
        for layer, hidden in enumerate(units):
            lstm = nn.LSTM(inputs, hidden)
            with torch.no_grad():
                # Keras layouts (kernel I×4H, gates i, f, g, o) transposed to PyTorch's (4H×I, same order).
                lstm.weight_ih_l0.copy_(weights[f'lstm_{layer}/kernel'].T)
                lstm.weight_hh_l0.copy_(weights[f'lstm_{layer}/recurrent_kernel'].T)
                lstm.bias_ih_l0.copy_(weights[f'lstm_{layer}/bias'])
                lstm.bias_hh_l0.zero_()
            # One bias per layer, as in Keras and in the bench's model.
            lstm.bias_hh_l0.requires_grad_(False)
            self.layers.append(lstm)
            inputs = hidden
        self.heads = nn.ModuleList()
        for head in ('pitch', 'step', 'duration'):
            kernel = weights[f'{head}/kernel']
            linear = nn.Linear(kernel.shape[0], kernel.shape[1])
            with torch.no_grad():
                linear.weight.copy_(kernel.T)
                linear.bias.copy_(weights[f'{head}/bias'])
            self.heads.append(linear)

    def forward(self, x):
        for lstm in self.layers:
            x, _ = lstm(x)
        last = x[-1]
        pitch, step, duration = (head(last) for head in self.heads)
        return pitch, step[:, 0], duration[:, 0]


def positive_pressure_mse(prediction, target):
    return ((target - prediction) ** 2 + 10 * torch.clamp(-prediction, min=0)).mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('folder')
    parser.add_argument('--steps', type=int, default=50)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    meta = json.load(open(os.path.join(args.folder, 'meta.json')))
    T, B = meta['windowLength'], meta['batchSize']
    weights = {w['name']: read(args.folder, w['name'].replace('/', '__') + '.f32', np.float32, w['shape']) for w in meta['weights']}
    x = read(args.folder, 'inputs.f32', np.float32, (T, B, 3))
    pitch = read(args.folder, 'pitch.i32', np.int32, (B,)).long()
    step = read(args.folder, 'step.f32', np.float32, (B,))
    duration = read(args.folder, 'duration.f32', np.float32, (B,))

    model = NoteLstm(meta['units'], weights)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=meta['learningRate'], eps=meta['epsilon'])

    def train_step():
        optimizer.zero_grad()
        logits, step_prediction, duration_prediction = model(x)
        loss = (meta['pitchWeight'] * nn.functional.cross_entropy(logits, pitch)
                + positive_pressure_mse(step_prediction, step)
                + positive_pressure_mse(duration_prediction, duration))
        loss.backward()
        optimizer.step()
        return float(loss)

    losses = [train_step() for _ in range(args.warmup)]
    rounds = []
    for _ in range(args.rounds):
        began = time.perf_counter()
        for _ in range(args.steps):
            train_step()
        rounds.append((time.perf_counter() - began) / args.steps * 1000)
    print(json.dumps({
        'msPerStep': min(rounds),
        'rounds': rounds,
        'losses': losses,
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_in_use(),
    }))


if __name__ == '__main__':
    main()
