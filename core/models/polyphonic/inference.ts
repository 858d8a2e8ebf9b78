/**
 * A trained polyphonic model run step by step in plain TypeScript, for generation: no tensors, no
 * engine, the same maths as training (model.ts without dropout; tested equal). The recurrent state
 * is carried from step to step, so generating T frames costs T steps, and states can be copied to
 * try several futures (infilling's Metropolis-Hastings).
 *
 * Frame distributions (given the state) can be scored, sampled freely, or sampled with some pitches
 * clamped (conditioning): see `sampleConstrained` for how conditioning on pitches that come later in
 * the NADE's low-to-high order stays exact.
 */
import type { WeightArray } from './config';
import { PolyphonicError } from './errors';
import { pitchCount } from './frames';
import type { PolyphonicWeights } from './model';
import { softplus } from './nade';
import type { SeededRandom } from './random';

interface LayerWeights {
  readonly inputs: number;
  readonly units: number;
  readonly kernel: Float32Array;
  readonly recurrent: Float32Array;
  readonly bias: Float32Array;
}

/** Per layer h and c, and the frame fed last (the output layer also reads it with skipInput). */
export interface RecurrentState {
  readonly h: readonly Float64Array[];
  readonly c: readonly Float64Array[];
  readonly input: Uint8Array;
}

export function copyState(state: RecurrentState): RecurrentState {
  return { h: state.h.map((h) => Float64Array.from(h)), c: state.c.map((c) => Float64Array.from(c)), input: Uint8Array.from(state.input) };
}

/** A frame constraint: per pitch −1 free (sampled), 0 clamped silent, 1 clamped sounding. */
export type Clamp = Int8Array;

export interface ConstrainedSampleOptions {
  /** Conditionals' logits are divided by this (1: the model; < 1 surer, > 1 more adventurous). */
  readonly temperature: number;
  /** Importance-sampling proposals when a free pitch precedes a clamped one (≥ 1). */
  readonly proposals: number;
  /** Gibbs sweeps over the free pitches after the importance resampling (≥ 0). */
  readonly sweeps: number;
}

function sigmoidInto(a: Float64Array, h: Float64Array): void {
  for (let k = 0; k < a.length; k++) h[k] = 1 / (1 + Math.exp(-a[k]!));
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The distribution of one frame given the recurrent state (a NADE, or independent pitches). */
export class FrameDistribution {
  private readonly a: Float64Array;
  private readonly h: Float64Array;

  constructor(
    /** Pitch biases (NADE) or logits (independent), D. */
    readonly bv: Float64Array,
    /** NADE hidden biases, H (empty for independent pitches). */
    readonly bh: Float64Array,
    private readonly W: Float32Array | null,
    private readonly V: Float32Array | null,
  ) {
    this.a = new Float64Array(bh.length);
    this.h = new Float64Array(bh.length);
  }

  get pitches(): number {
    return this.bv.length;
  }

  /** The logit of p(v_i = 1 | v_<i) given h = σ(a) (NADE) or the pitch's own logit. */
  private logit(i: number): number {
    const { V, h } = this;
    if (!V) return this.bv[i]!;
    const H = h.length;
    let dot = this.bv[i]!;
    for (let k = 0; k < H; k++) dot += V[i * H + k]! * h[k]!;
    return dot;
  }

  private begin(): void {
    if (!this.W) return;
    this.a.set(this.bh);
    sigmoidInto(this.a, this.h);
  }

  private observe(i: number): void {
    const { W, a } = this;
    if (!W) return;
    const H = a.length;
    for (let k = 0; k < H; k++) a[k] = a[k]! + W[i * H + k]!;
    sigmoidInto(a, this.h);
  }

  /** log p(frame) with every conditional's logit divided by `temperature`. */
  logProb(frame: ArrayLike<number>, temperature = 1): number {
    this.begin();
    let logProb = 0;
    for (let i = 0; i < this.pitches; i++) {
      const logit = this.logit(i) / temperature;
      const on = frame[i] !== 0;
      logProb -= softplus(on ? -logit : logit);
      if (on) this.observe(i);
    }
    return logProb;
  }

  /** log p(frame) split into the free pitches' conditionals and the clamped ones' (tempered). */
  logProbParts(frame: ArrayLike<number>, clamp: Clamp, temperature = 1): { free: number; clamped: number } {
    this.begin();
    let free = 0;
    let clamped = 0;
    for (let i = 0; i < this.pitches; i++) {
      const logit = this.logit(i) / temperature;
      const on = frame[i] !== 0;
      const term = softplus(on ? -logit : logit);
      if (clamp[i]! < 0) free -= term;
      else clamped -= term;
      if (on) this.observe(i);
    }
    return { free, clamped };
  }

  /**
   * One ancestral pass, low to high: free pitches drawn from their conditionals, clamped ones set.
   * Returns log q (the free pitches' conditionals: the proposal's density) and log w (the clamped
   * pitches' conditionals: how well the draw explains the clamps); log p(frame) = log q + log w.
   */
  private ancestral(random: SeededRandom, clamp: Clamp, temperature: number, out: Uint8Array): { logQ: number; logW: number } {
    this.begin();
    let logQ = 0;
    let logW = 0;
    for (let i = 0; i < this.pitches; i++) {
      const logit = this.logit(i) / temperature;
      let on: boolean;
      if (clamp[i]! < 0) {
        on = random.next() < sigmoid(logit);
        logQ -= softplus(on ? -logit : logit);
      } else {
        on = clamp[i] === 1;
        logW -= softplus(on ? -logit : logit);
      }
      out[i] = on ? 1 : 0;
      if (on) this.observe(i);
    }
    return { logQ, logW };
  }

  /** An unconstrained draw and its log-probability (tempered). */
  sample(random: SeededRandom, temperature = 1): { frame: Uint8Array; logProb: number } {
    const frame = new Uint8Array(this.pitches);
    const { logQ } = this.ancestral(random, new Int8Array(this.pitches).fill(-1), temperature, frame);
    return { frame, logProb: logQ };
  }

  /**
   * A draw of the free pitches from p(free | clamped) — the exact conditional of the (tempered)
   * frame distribution given the clamped pitches — and its log p(frame).
   *
   * How: the NADE's order is low to high. A clamped pitch that comes before every free one is simply
   * observed (the autoregression conditions on it exactly). When a free pitch comes before a clamped
   * one (harmonizing: the given melody is the TOP note, the voices to sample are below it), the
   * conditionals of the later clamped pitches depend on the free draw, so ancestral sampling alone
   * would ignore the clamp. Then: (1) sampling-importance-resampling: `proposals` ancestral draws
   * q(free), each weighted by w = Π p(clamped | earlier pitches), one kept with probability ∝ w
   * (p(free | clamped) ∝ q·w exactly, so this is consistent as proposals grow); (2) `sweeps` Gibbs
   * sweeps over the free pitches, each resampled from p(v_i | all other pitches) ∝ p(frame) (both
   * values scored in full), which leaves p(free | clamped) invariant and repairs what the finite
   * resampling missed. Independent pitches (the baseline) need neither: clamps are exact.
   */
  sampleConstrained(random: SeededRandom, clamp: Clamp, options: ConstrainedSampleOptions): { frame: Uint8Array; logProb: number } {
    const D = this.pitches;
    if (clamp.length !== D) throw new PolyphonicError(`A frame constraint has ${clamp.length} pitches; the model covers ${D}.`);
    const { temperature } = options;
    let lastClamped = -1;
    let firstFree = D;
    for (let i = 0; i < D; i++) {
      if (clamp[i]! >= 0) lastClamped = i;
      else if (firstFree === D) firstFree = i;
    }
    const frame = new Uint8Array(D);
    // Exact in one pass: no free pitch precedes a clamped one (or the pitches are independent).
    if (!this.W || firstFree > lastClamped) {
      const { logQ, logW } = this.ancestral(random, clamp, temperature, frame);
      return { frame, logProb: logQ + logW };
    }
    const proposals = Math.max(1, options.proposals);
    const draws: Uint8Array[] = [];
    const logWeights: number[] = [];
    for (let k = 0; k < proposals; k++) {
      const draw = new Uint8Array(D);
      logWeights.push(this.ancestral(random, clamp, temperature, draw).logW);
      draws.push(draw);
    }
    const top = Math.max(...logWeights);
    const weights = logWeights.map((logW) => Math.exp(logW - top));
    let target = random.next() * weights.reduce((sum, w) => sum + w, 0);
    let chosen = 0;
    while (chosen < proposals - 1 && target >= weights[chosen]!) target -= weights[chosen++]!;
    frame.set(draws[chosen]!);
    for (let sweep = 0; sweep < options.sweeps; sweep++) {
      for (let i = 0; i < D; i++) {
        if (clamp[i]! >= 0) continue;
        frame[i] = 1;
        const on = this.logProb(frame, temperature);
        frame[i] = 0;
        const off = this.logProb(frame, temperature);
        frame[i] = random.next() < sigmoid(on - off) ? 1 : 0;
      }
    }
    return { frame, logProb: this.logProb(frame, temperature) };
  }
}

/** The model's recurrent network and output layer, stepped one frame at a time. */
export class PolyphonicNet {
  readonly pitches: number;
  private readonly layers: LayerWeights[] = [];
  private readonly outputKernel: Float32Array;
  private readonly outputBias: Float32Array;
  private readonly W: Float32Array | null;
  private readonly V: Float32Array | null;
  private readonly hidden: number;
  private readonly skipKernel: Float32Array | null;
  private readonly gates: Float64Array[];

  constructor(readonly model: PolyphonicWeights) {
    const { config } = model;
    const byName = new Map<string, WeightArray>(model.weights.map((weight) => [weight.name, weight]));
    const take = (name: string, size: number): Float32Array => {
      const weight = byName.get(name);
      if (!weight) throw new PolyphonicError(`The model's weights lack "${name}".`);
      if (weight.values.length !== size) throw new PolyphonicError(`The model's "${name}" has ${weight.values.length} values, expected ${size}.`);
      return weight.values;
    };
    this.pitches = pitchCount(config.range);
    let inputs = this.pitches;
    config.units.forEach((units, layer) => {
      this.layers.push({
        inputs,
        units,
        kernel: take(`lstm_${layer}/kernel`, inputs * 4 * units),
        recurrent: take(`lstm_${layer}/recurrent_kernel`, units * 4 * units),
        bias: take(`lstm_${layer}/bias`, 4 * units),
      });
      inputs = units;
    });
    this.hidden = config.kind === 'rnn-nade' ? config.nadeHidden : 0;
    const width = this.pitches + this.hidden;
    this.outputKernel = take('output/kernel', inputs * width);
    this.skipKernel = config.skipInput ? take('output/skip', this.pitches * width) : null;
    this.outputBias = take('output/bias', width);
    this.W = config.kind === 'rnn-nade' ? take('nade/W', this.pitches * this.hidden) : null;
    this.V = config.kind === 'rnn-nade' ? take('nade/V', this.pitches * this.hidden) : null;
    this.gates = this.layers.map((layer) => new Float64Array(4 * layer.units));
  }

  initialState(): RecurrentState {
    return {
      h: this.layers.map((layer) => new Float64Array(layer.units)),
      c: this.layers.map((layer) => new Float64Array(layer.units)),
      input: new Uint8Array(this.pitches),
    };
  }

  /** Feeds `frame` (the previous step's pitches; silence for the first step) into `state`, in place. */
  advance(state: RecurrentState, frame: ArrayLike<number>): void {
    const D = this.pitches;
    if (frame.length !== D) throw new PolyphonicError(`A frame has ${frame.length} pitches; the model covers ${D}.`);
    const input = state.input;
    for (let i = 0; i < D; i++) input[i] = frame[i] !== 0 ? 1 : 0;
    for (let l = 0; l < this.layers.length; l++) {
      const { units: U, inputs, kernel, recurrent, bias } = this.layers[l]!;
      const G = 4 * U;
      const gates = this.gates[l]!;
      const h = state.h[l]!;
      const c = state.c[l]!;
      for (let j = 0; j < G; j++) gates[j] = bias[j]!;
      if (l === 0) {
        // The frame is multi-hot: x·W is a sum of the rows of the sounding pitches.
        for (let i = 0; i < D; i++) {
          if (input[i] === 0) continue;
          const row = i * G;
          for (let j = 0; j < G; j++) gates[j] = gates[j]! + kernel[row + j]!;
        }
      } else {
        const below = state.h[l - 1]!;
        for (let i = 0; i < inputs; i++) {
          const x = below[i]!;
          const row = i * G;
          for (let j = 0; j < G; j++) gates[j] = gates[j]! + x * kernel[row + j]!;
        }
      }
      for (let k = 0; k < U; k++) {
        const x = h[k]!;
        const row = k * G;
        for (let j = 0; j < G; j++) gates[j] = gates[j]! + x * recurrent[row + j]!;
      }
      // Keras's gate order: i, f, g (cell), o.
      for (let k = 0; k < U; k++) {
        const cell = sigmoid(gates[U + k]!) * c[k]! + sigmoid(gates[k]!) * Math.tanh(gates[2 * U + k]!);
        c[k] = cell;
        h[k] = sigmoid(gates[3 * U + k]!) * Math.tanh(cell);
      }
    }
  }

  /** The distribution of the next frame given `state` (after the frames before it were fed). */
  distribution(state: RecurrentState): FrameDistribution {
    const top = state.h[state.h.length - 1]!;
    const width = this.pitches + this.hidden;
    const out = Float64Array.from(this.outputBias);
    for (let k = 0; k < top.length; k++) {
      const x = top[k]!;
      const row = k * width;
      for (let j = 0; j < width; j++) out[j] = out[j]! + x * this.outputKernel[row + j]!;
    }
    const skip = this.skipKernel;
    if (skip) {
      for (let i = 0; i < this.pitches; i++) {
        if (!state.input[i]) continue;
        for (let j = 0; j < width; j++) out[j] = out[j]! + skip[i * width + j]!;
      }
    }
    return new FrameDistribution(out.subarray(0, this.pitches), out.subarray(this.pitches), this.W, this.V);
  }
}
