/**
 * A trained VAE run without tensors, for the uses (sample, reconstruct, interpolate): the encoder
 * and the decoder step by step on Float32Arrays through RawKernels (the worker's native kernels, or
 * the JavaScript loops: createJavascriptRawKernels), a batch of segments at a time. Same maths as
 * model.ts (tested equal through reconstruction).
 */
import type { Random } from '../hmm/random';
import { mulberry32 } from '../hmm/random';
import { createJavascriptRawKernels, type RawKernels } from '../neural/raw-kernels';
import { sampleLogits } from '../neural/sampling';
import { conditioningSize, segmentSteps, validateVaeConfig, vocabularySize, type VaeConfig } from './config';
import { decoderShape } from './batches';
import { VaeError } from './errors';
import type { VaeWeights } from './model';
import { validateSegmentTokens } from './tokens';

interface Lstm {
  readonly input: number;
  readonly hidden: number;
  readonly w: Float32Array;
  readonly u: Float32Array;
  readonly bias: Float32Array;
}

interface Dense {
  readonly inputs: number;
  readonly outputs: number;
  readonly w: Float32Array;
  readonly bias: Float32Array;
}

export interface DecodeOptions {
  /** Softmax temperature of each step's draw (0: the likeliest token, greedy). */
  readonly temperature: number;
  /** Draws the tokens (needed when temperature > 0; default a fixed seed). */
  readonly random?: Random;
  readonly topK?: number;
}

export interface Encoding {
  /** μ of q(z | x), one Float32Array of latentSize per segment. */
  readonly mu: Float32Array[];
  readonly logVariance: Float32Array[];
}

/** Segments encoded or decoded per kernel call (bounds the scratch memory). */
const CHUNK = 64;

export class VaeNet {
  readonly config: VaeConfig;
  private readonly encoderFw: Lstm;
  private readonly encoderBw: Lstm;
  private readonly mu: Dense;
  private readonly logvar: Dense;
  private readonly conductorInit: Dense | null;
  private readonly conductor: Lstm | null;
  private readonly decoderInit: Dense;
  private readonly decoder: Lstm;
  private readonly output: Dense;

  constructor(
    model: VaeWeights,
    private readonly raw: RawKernels = createJavascriptRawKernels(),
  ) {
    validateVaeConfig(model.config);
    this.config = model.config;
    const byName = new Map(model.weights.map((weight) => [weight.name, weight]));
    const get = (name: string, shape: readonly number[]): Float32Array => {
      const weight = byName.get(name);
      if (!weight) throw new VaeError(`The model lacks the weight "${name}" its settings need.`);
      if (weight.shape.join() !== shape.join()) throw new VaeError(`The weight "${name}" has shape [${weight.shape.join(', ')}]; the settings need [${shape.join(', ')}].`);
      return weight.values;
    };
    const lstm = (name: string, input: number, hidden: number): Lstm => ({
      input,
      hidden,
      w: get(`${name}/kernel`, [input, 4 * hidden]),
      u: get(`${name}/recurrent_kernel`, [hidden, 4 * hidden]),
      bias: get(`${name}/bias`, [4 * hidden]),
    });
    const dense = (name: string, inputs: number, outputs: number): Dense => ({ inputs, outputs, w: get(`${name}/kernel`, [inputs, outputs]), bias: get(`${name}/bias`, [outputs]) });
    const config = model.config;
    const V = vocabularySize(config);
    const He = config.encoderUnits;
    const Z = config.latentSize;
    const C = conditioningSize(config);
    this.encoderFw = lstm('encoder_fw', V, He);
    this.encoderBw = lstm('encoder_bw', V, He);
    this.mu = dense('mu', 2 * He, Z);
    this.logvar = dense('logvar', 2 * He, Z);
    this.conductorInit = config.hierarchical ? dense('conductor_init', Z, 2 * config.conductorUnits) : null;
    this.conductor = config.hierarchical ? lstm('conductor', 1, config.conductorUnits) : null;
    this.decoderInit = dense('decoder_init', C, 2 * config.decoderUnits);
    this.decoder = lstm('decoder', V + C, config.decoderUnits);
    this.output = dense('output', config.decoderUnits, V);
  }

  private dense(layer: Dense, x: Float32Array, rows: number): Float32Array {
    const y = new Float32Array(rows * layer.outputs);
    this.raw.dense({ m: rows, n: layer.outputs, k: layer.inputs, x, w: layer.w, bias: layer.bias, y });
    return y;
  }

  /** One LSTM step for `rows` sequences; returns the new state (the old is left alone). */
  private step(layer: Lstm, x: Float32Array, state: { h: Float32Array; c: Float32Array }, rows: number): { h: Float32Array; c: Float32Array } {
    const next = { h: new Float32Array(rows * layer.hidden), c: new Float32Array(rows * layer.hidden) };
    this.raw.lstmStep({ batch: rows, input: layer.input, hidden: layer.hidden, x, h: state.h, c: state.c, w: layer.w, u: layer.u, bias: layer.bias, hOut: next.h, cOut: next.c });
    return next;
  }

  /** tanh(dense(x)) split into an LSTM's initial h and c (the first and second halves of each row). */
  private initialState(layer: Dense, x: Float32Array, rows: number): { h: Float32Array; c: Float32Array } {
    const y = this.dense(layer, x, rows);
    const H = layer.outputs / 2;
    const h = new Float32Array(rows * H);
    const c = new Float32Array(rows * H);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        h[r * H + j] = Math.tanh(y[r * 2 * H + j]!);
        c[r * H + j] = Math.tanh(y[r * 2 * H + H + j]!);
      }
    }
    return { h, c };
  }

  /** q(z | x) of each segment (each must have the model's length and vocabulary). */
  encode(segments: readonly (readonly number[])[]): Encoding {
    const mu: Float32Array[] = [];
    const logVariance: Float32Array[] = [];
    segments.forEach((segment, k) => validateSegmentTokens(segment, this.config, segments.length === 1 ? 'The segment' : `Segment ${k + 1}`));
    for (let from = 0; from < segments.length; from += CHUNK) {
      const chunk = segments.slice(from, from + CHUNK);
      const result = this.encodeChunk(chunk);
      mu.push(...result.mu);
      logVariance.push(...result.logVariance);
    }
    return { mu, logVariance };
  }

  private encodeChunk(segments: readonly (readonly number[])[]): Encoding {
    const B = segments.length;
    const T = segmentSteps(this.config);
    const V = vocabularySize(this.config);
    const He = this.config.encoderUnits;
    const Z = this.config.latentSize;
    const run = (layer: Lstm, reverse: boolean): Float32Array => {
      let state: { h: Float32Array; c: Float32Array } = { h: new Float32Array(B * He), c: new Float32Array(B * He) };
      const x = new Float32Array(B * V);
      for (let k = 0; k < T; k++) {
        const t = reverse ? T - 1 - k : k;
        x.fill(0);
        for (let b = 0; b < B; b++) x[b * V + segments[b]![t]!] = 1;
        state = this.step(layer, x, state, B);
      }
      return state.h;
    };
    const forward = run(this.encoderFw, false);
    const backward = run(this.encoderBw, true);
    const both = new Float32Array(B * 2 * He);
    for (let b = 0; b < B; b++) {
      both.set(forward.subarray(b * He, (b + 1) * He), b * 2 * He);
      both.set(backward.subarray(b * He, (b + 1) * He), b * 2 * He + He);
    }
    const mu = this.dense(this.mu, both, B);
    const logVariance = this.dense(this.logvar, both, B);
    return {
      mu: Array.from({ length: B }, (_, b) => mu.slice(b * Z, (b + 1) * Z)),
      logVariance: Array.from({ length: B }, (_, b) => logVariance.slice(b * Z, (b + 1) * Z)),
    };
  }

  /** One segment of tokens per code z, step by step (each step's token feeds the next). */
  decode(codes: readonly ArrayLike<number>[], options: DecodeOptions): number[][] {
    const Z = this.config.latentSize;
    codes.forEach((z, k) => {
      if (z.length !== Z) throw new VaeError(`Code ${k + 1} has ${z.length} dimensions; this model's latent space has ${Z}.`);
    });
    if (!(options.temperature >= 0) || !Number.isFinite(options.temperature)) throw new VaeError(`The temperature must be a number ≥ 0, got ${options.temperature}.`);
    const random = options.random ?? mulberry32(1);
    const out: number[][] = [];
    for (let from = 0; from < codes.length; from += CHUNK) out.push(...this.decodeChunk(codes.slice(from, from + CHUNK), options, random));
    return out;
  }

  private decodeChunk(codes: readonly ArrayLike<number>[], options: DecodeOptions, random: Random): number[][] {
    const config = this.config;
    const B = codes.length;
    const Z = config.latentSize;
    const V = vocabularySize(config);
    const C = conditioningSize(config);
    const { segments: S, length: L } = decoderShape(config);
    const z = new Float32Array(B * Z);
    codes.forEach((code, b) => z.set(Array.from(code), b * Z));
    const tokens = Array.from({ length: B }, () => new Array<number>(S * L));
    let conductorState = this.conductor ? this.initialState(this.conductorInit!, z, B) : null;
    const previous = new Int32Array(B).fill(-1);
    const x = new Float32Array(B * (V + C));
    for (let s = 0; s < S; s++) {
      let conditioning: Float32Array = z;
      if (this.conductor) {
        conductorState = this.step(this.conductor, new Float32Array(B), conductorState!, B);
        conditioning = conductorState.h;
      }
      let state = this.initialState(this.decoderInit, conditioning, B);
      for (let l = 0; l < L; l++) {
        x.fill(0);
        for (let b = 0; b < B; b++) {
          if (previous[b]! >= 0) x[b * (V + C) + previous[b]!] = 1;
          x.set(conditioning.subarray(b * C, (b + 1) * C), b * (V + C) + V);
        }
        state = this.step(this.decoder, x, state, B);
        const logits = this.dense(this.output, state.h, B);
        for (let b = 0; b < B; b++) {
          const token = sampleLogits(logits.subarray(b * V, (b + 1) * V), { temperature: options.temperature, topK: options.topK }, random);
          tokens[b]![s * L + l] = token;
          previous[b] = token;
        }
      }
    }
    return tokens;
  }
}
