/**
 * What a trained VAE does for the composer, on plain weights (net.ts: no tensors, no engine):
 *   sample        z ~ N(0, latentScale²·I), decoded with a softmax temperature
 *   reconstruct   encode → μ → decode (greedy at temperature 0)
 *   interpolate   encode both ends → `steps` codes by slerp (or lerp) → decode each
 *   attribute     z of a segment + α·(mean z of high − mean z of low segments on an attribute)
 * Every result carries its tokens and its code; tokensToPiece (tokens.ts) makes clips of them.
 */
import { mulberry32, normal } from '../hmm/random';
import type { RawKernels } from '../neural/raw-kernels';
import { segmentSteps } from './config';
import { VaeError } from './errors';
import { addScaled, attributeVector, interpolate, type InterpolationMethod } from './latent';
import type { VaeWeights } from './model';
import { VaeNet } from './net';
import { noteOnCount } from './tokens';

export interface VaeDecodeUseOptions {
  /** Softmax temperature (0: greedy). */
  readonly temperature?: number;
  readonly topK?: number;
  readonly seed?: number;
  /** Engine kernels (the worker's native ones); default the JavaScript loops. */
  readonly raw?: RawKernels;
}

export interface VaeSampleOptions extends VaeDecodeUseOptions {
  /** Scale of z: 1 is the prior; below 1 keeps nearer its centre (safer), above wanders. Default 1. */
  readonly latentScale?: number;
}

export interface VaeGenerated {
  readonly tokens: number[];
  readonly z: number[];
  /** Interpolation position in [0, 1], or the attribute amount α. */
  readonly position?: number;
}

function checkTemperature(temperature: number): void {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new VaeError(`The temperature must be a number ≥ 0, got ${temperature}.`);
}

function decodeCodes(net: VaeNet, codes: readonly Float32Array[], options: VaeDecodeUseOptions, defaultTemperature: number): number[][] {
  const temperature = options.temperature ?? defaultTemperature;
  checkTemperature(temperature);
  return net.decode(codes, { temperature, topK: options.topK, random: mulberry32(options.seed ?? 1) });
}

export function sampleVae(model: VaeWeights, count: number, options: VaeSampleOptions = {}): VaeGenerated[] {
  if (!Number.isInteger(count) || count < 1) throw new VaeError(`Ask for at least one sample (a whole number), got ${count}.`);
  const scale = options.latentScale ?? 1;
  if (!(scale >= 0) || !Number.isFinite(scale)) throw new VaeError(`The latent scale must be a number ≥ 0, got ${scale}.`);
  const net = new VaeNet(model, options.raw);
  // The codes from their own stream, so the decoding's draws do not shift them.
  const random = mulberry32(((options.seed ?? 1) ^ 0x5eed) >>> 0);
  const codes = Array.from({ length: count }, () => Float32Array.from({ length: model.config.latentSize }, () => scale * normal(random)));
  const tokens = decodeCodes(net, codes, options, 0.5);
  return codes.map((z, k) => ({ tokens: tokens[k]!, z: Array.from(z) }));
}

export function reconstructVae(model: VaeWeights, segments: readonly (readonly number[])[], options: VaeDecodeUseOptions = {}): VaeGenerated[] {
  if (segments.length === 0) throw new VaeError('Choose at least one segment to reconstruct.');
  const net = new VaeNet(model, options.raw);
  const codes = net.encode(segments).mu;
  const tokens = decodeCodes(net, codes, options, 0);
  return codes.map((z, k) => ({ tokens: tokens[k]!, z: Array.from(z) }));
}

export interface VaeInterpolateOptions extends VaeDecodeUseOptions {
  readonly method?: InterpolationMethod;
}

/** `steps` segments from `from` to `to` (both included: the first and last are their reconstructions). */
export function interpolateVae(model: VaeWeights, from: readonly number[], to: readonly number[], steps: number, options: VaeInterpolateOptions = {}): VaeGenerated[] {
  const net = new VaeNet(model, options.raw);
  const [a, b] = net.encode([from, to]).mu;
  const codes = interpolate(a!, b!, steps, options.method ?? 'slerp');
  const tokens = decodeCodes(net, codes, options, 0);
  return codes.map((z, k) => ({ tokens: tokens[k]!, z: Array.from(z), position: k / (steps - 1) }));
}

export type VaeAttribute = 'note-density';

/** An attribute's value of a segment: note density = note-ons per step. */
export function attributeValue(attribute: VaeAttribute, tokens: readonly number[]): number {
  if (attribute !== 'note-density') throw new VaeError(`Unknown attribute "${String(attribute)}": note-density.`);
  return noteOnCount(tokens) / tokens.length;
}

/** The attribute's vector in the model's latent space, from corpus segments (their μ). */
export function vaeAttributeVector(model: VaeWeights, corpus: readonly (readonly number[])[], attribute: VaeAttribute, options: { readonly fraction?: number; readonly raw?: RawKernels } = {}): Float32Array {
  const net = new VaeNet(model, options.raw);
  const codes = net.encode(corpus).mu;
  return attributeVector(codes, corpus.map((tokens) => attributeValue(attribute, [...tokens])), options.fraction ?? 0.25);
}

/** The segment re-decoded with z + α·vector for each α in `amounts`. */
export function applyAttributeVae(model: VaeWeights, segment: readonly number[], vector: ArrayLike<number>, amounts: readonly number[], options: VaeDecodeUseOptions = {}): VaeGenerated[] {
  if (amounts.length === 0) throw new VaeError('Give at least one amount α.');
  const net = new VaeNet(model, options.raw);
  const [z] = net.encode([segment]).mu;
  const codes = amounts.map((alpha) => {
    if (!Number.isFinite(alpha)) throw new VaeError(`Amounts must be numbers, got ${alpha}.`);
    return addScaled(z!, vector, alpha);
  });
  const tokens = decodeCodes(net, codes, options, 0);
  return codes.map((code, k) => ({ tokens: tokens[k]!, z: Array.from(code), position: amounts[k]! }));
}

/** Steps of one segment of the model (for callers sizing results). */
export function vaeSegmentSteps(model: VaeWeights): number {
  return segmentSteps(model.config);
}
