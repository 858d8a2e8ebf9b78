// The NADE over a frame: its joint sums to one (all 2^D frames enumerated), the batched loss equals
// the per-frame log-probability, and its hand-written gradient matches finite differences; the
// Bernoulli baseline likewise.
import { describe, expect, it } from 'vitest';
import { bernoulliLoss, nadeFrameLogProb, nadeLoss } from '../../../core/models/polyphonic/nade';
import { SeededRandom } from '../../../core/models/polyphonic/random';

function randomArray(random: SeededRandom, length: number, scale: number): Float32Array {
  return Float32Array.from({ length }, () => (2 * random.next() - 1) * scale);
}

function frameOf(code: number, D: number): Uint8Array {
  return Uint8Array.from({ length: D }, (_, i) => (code >> i) & 1);
}

describe('NADE joint', () => {
  it('sums to one over all 2^D frames (D = 10, random weights), at temperature 1 and 0.5', () => {
    const D = 10;
    const H = 7;
    const random = new SeededRandom(3);
    const bv = randomArray(random, D, 2);
    const bh = randomArray(random, H, 2);
    const W = randomArray(random, D * H, 2);
    const V = randomArray(random, D * H, 2);
    for (const temperature of [1, 0.5]) {
      let total = 0;
      let largest = 0;
      for (let code = 0; code < 1 << D; code++) {
        const p = Math.exp(nadeFrameLogProb(bv, bh, W, V, frameOf(code, D), temperature));
        total += p;
        largest = Math.max(largest, p);
      }
      expect(total).toBeCloseTo(1, 10);
      // Not a degenerate (uniform or one-point) distribution.
      expect(largest).toBeGreaterThan(2 / (1 << D));
      expect(largest).toBeLessThan(0.9);
    }
  });

  it('the batched loss is Σ weight · −log p(frame), and skips padding rows', () => {
    const D = 9;
    const H = 5;
    const rows = 6;
    const random = new SeededRandom(5);
    const outputs = randomArray(random, rows * (D + H), 1.5);
    const W = randomArray(random, D * H, 1);
    const V = randomArray(random, D * H, 1);
    const targets = Uint8Array.from({ length: rows * D }, () => (random.next() < 0.3 ? 1 : 0));
    const weights = Float32Array.from([1, 0.5, 0, 2, 1, 1]);
    let expected = 0;
    for (let n = 0; n < rows; n++) {
      const row = outputs.subarray(n * (D + H), (n + 1) * (D + H));
      expected -= weights[n]! * nadeFrameLogProb(row.subarray(0, D), row.subarray(D), W, V, targets.subarray(n * D, (n + 1) * D));
    }
    expect(nadeLoss({ rows, pitches: D, hidden: H }, outputs, W, V, targets, weights)).toBeCloseTo(expected, 9);
  });

  it('its gradient w.r.t. the biases, W and V matches central finite differences', () => {
    const D = 8;
    const H = 6;
    const rows = 4;
    const random = new SeededRandom(11);
    const outputs = randomArray(random, rows * (D + H), 1);
    const W = randomArray(random, D * H, 1);
    const V = randomArray(random, D * H, 1);
    // Includes a sounding last pitch and an empty frame.
    const targets = Uint8Array.from({ length: rows * D }, (_, k) => (k === D - 1 || (k >= 2 * D && random.next() < 0.4) ? 1 : 0));
    targets.fill(0, D * 1, D * 2);
    const weights = Float32Array.from([1, 1, 0.7, 1.3]);
    const shape = { rows, pitches: D, hidden: H };
    const gradients = { dOutputs: new Float32Array(rows * (D + H)), dW: new Float32Array(D * H), dV: new Float32Array(D * H) };
    nadeLoss(shape, outputs, W, V, targets, weights, gradients);
    const loss = (): number => nadeLoss(shape, outputs, W, V, targets, weights);
    for (const [name, array, gradient] of [['outputs', outputs, gradients.dOutputs], ['W', W, gradients.dW], ['V', V, gradients.dV]] as const) {
      let checked = 0;
      for (let k = 0; k < array.length; k++) {
        const original = array[k]!;
        const h = 1e-2;
        array[k] = original + h;
        const up = loss();
        array[k] = original - h;
        const down = loss();
        array[k] = original;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(numeric - gradient[k]!), `${name}[${k}]: ${numeric} vs ${gradient[k]}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(numeric)));
        if (Math.abs(numeric) > 1e-3) checked++;
      }
      expect(checked, `${name}: non-zero gradients checked`).toBeGreaterThan(array.length / 3);
    }
  });
});

describe('Bernoulli baseline', () => {
  it('is a product of independent sigmoids, and its gradient is σ(logit) − target', () => {
    const D = 4;
    const logits = Float32Array.from([0.5, -1, 2, 0, 1, 1, -3, 0.25]);
    const targets = Uint8Array.from([1, 0, 1, 0, 0, 1, 0, 1]);
    const weights = Float32Array.from([1, 2]);
    const sigma = (x: number): number => 1 / (1 + Math.exp(-x));
    let expected = 0;
    for (let k = 0; k < 8; k++) expected -= weights[k >> 2]! * Math.log(targets[k] ? sigma(logits[k]!) : 1 - sigma(logits[k]!));
    const dLogits = new Float32Array(8);
    expect(bernoulliLoss(2, D, logits, targets, weights, dLogits)).toBeCloseTo(expected, 6);
    for (let k = 0; k < 8; k++) expect(dLogits[k]).toBeCloseTo(weights[k >> 2]! * (sigma(logits[k]!) - targets[k]!), 6);
  });
});
