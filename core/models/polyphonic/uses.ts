/**
 * The composer-facing uses of a trained polyphonic model, as pure functions on piano rolls
 * (core/music/representations/pianoroll.ts): harmonize a melody, infill a region, continue a primer.
 * Each returns `variations` results, drawn at `temperature`, reproducible from `seed`, each with its
 * log-likelihood under the model (nats, temperature 1) to rank them.
 *
 * Conditioning is exact within a frame (inference.ts, `sampleConstrained`: importance resampling
 * then Gibbs sweeps when a free pitch precedes a given one in the NADE's low-to-high order). Across
 * time the model reads the past only; harmonize and the first pass of infill condition each frame on
 * everything before it and on the given notes of that frame (not yet on later given notes). Infill
 * then refines its region with Metropolis-Hastings over whole frames: frame t is re-proposed from
 * p(v_t | past, its clamps) and accepted with the ratio of how well each version explains the frames
 * after it (up to `lookahead` frames past the region), so the region converges to p(region | before,
 * after) within that window (Coconet-style inpainting done with a left-to-right model).
 */
import { PIANO_ROLL_PITCHES, type PianoRoll } from '../../music/representations/pianoroll';
import { PolyphonicError } from './errors';
import { formatRange, framesFromPianoRoll, framesToPianoRoll, pianoRollSpan, type Frames } from './frames';
import { copyState, PolyphonicNet, type Clamp, type FrameDistribution, type RecurrentState } from './inference';
import type { PolyphonicWeights } from './model';
import { SeededRandom } from './random';

export interface GenerateOptions {
  /** How many results (default 1, at most 64). */
  readonly variations?: number;
  /** Default 1: the model's distribution; lower is surer, higher more adventurous. */
  readonly temperature?: number;
  /** Default 1. */
  readonly seed?: number;
  /** Importance-sampling proposals per frame when a given note lies above free ones (default 32). */
  readonly proposals?: number;
  /** Gibbs sweeps per such frame after the resampling (default 2). */
  readonly sweeps?: number;
  /** Called as the work advances (0..1), for a job's progress bar. */
  readonly onProgress?: (fraction: number) => void;
}

export interface HarmonizeOptions extends GenerateOptions {
  /** Steps where the melody rests: 'free' (default: the model may sound anything) or 'silent'. */
  readonly restSteps?: 'free' | 'silent';
}

export interface InfillRegion {
  readonly startStep: number;
  /** Exclusive. */
  readonly endStep: number;
  /** Regenerate only pitches lowPitch..highPitch (default: the model's whole range); others stay. */
  readonly lowPitch?: number;
  readonly highPitch?: number;
}

export interface InfillOptions extends GenerateOptions {
  /** Frames after the region that the result must explain (default 16; 0: condition on the past only). */
  readonly lookahead?: number;
  /**
   * Metropolis-Hastings sweeps over the region's frames (default 2; ignored when lookahead is 0).
   * Each sweep costs about regionSteps × (regionSteps + lookahead) recurrent steps.
   */
  readonly refineSweeps?: number;
}

export interface PolyphonicVariation {
  /** A binary piano roll at the model's resolution: see each use for what it spans. */
  readonly roll: PianoRoll;
  /** log p of the result's frames under the model (temperature 1), nats: higher is likelier. */
  readonly logLikelihood: number;
  /** Infill only: the share of Metropolis-Hastings proposals accepted. */
  readonly acceptance?: number;
}

interface ResolvedOptions {
  readonly variations: number;
  readonly temperature: number;
  readonly proposals: number;
  readonly sweeps: number;
  readonly random: SeededRandom;
  readonly progress: (done: number, total: number) => void;
}

function resolve(options: GenerateOptions): ResolvedOptions {
  const variations = options.variations ?? 1;
  const temperature = options.temperature ?? 1;
  const proposals = options.proposals ?? 32;
  const sweeps = options.sweeps ?? 2;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(variations) || variations < 1 || variations > 64) throw new PolyphonicError(`variations must be a whole number from 1 to 64, got ${variations}.`);
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new PolyphonicError(`temperature must be a positive number, got ${temperature}.`);
  if (!Number.isInteger(proposals) || proposals < 1) throw new PolyphonicError(`proposals must be a whole number ≥ 1, got ${proposals}.`);
  if (!Number.isInteger(sweeps) || sweeps < 0) throw new PolyphonicError(`sweeps must be a whole number ≥ 0, got ${sweeps}.`);
  if (!Number.isInteger(seed)) throw new PolyphonicError(`seed must be an integer, got ${seed}.`);
  const onProgress = options.onProgress;
  return { variations, temperature, proposals, sweeps, random: new SeededRandom(seed), progress: (done, total) => onProgress?.(Math.min(1, done / total)) };
}

function checkResolution(model: PolyphonicWeights, roll: PianoRoll, what: string): void {
  if (roll.resolution !== model.config.resolution) {
    throw new PolyphonicError(
      `${what} has ${roll.resolution} steps per quarter; the model was trained on ${model.config.resolution}: re-encode it at the model's resolution.`,
    );
  }
}

/** log p(frames[from..to) | frames before) under the model (temperature 1). */
function scoreFrames(net: PolyphonicNet, frames: Frames, from: number, to: number): number {
  const state = net.initialState();
  const D = frames.pitches;
  let previous: Uint8Array = new Uint8Array(D);
  let logLikelihood = 0;
  for (let t = 0; t < to; t++) {
    net.advance(state, previous);
    const frame = frames.data.subarray(t * D, (t + 1) * D);
    if (t >= from) logLikelihood += net.distribution(state).logProb(frame);
    previous = frame;
  }
  return logLikelihood;
}

/** Feeds frames[0..until) into a fresh state; returns it with the last frame fed. */
function readContext(net: PolyphonicNet, frames: Frames, until: number): { state: RecurrentState; previous: Uint8Array } {
  const state = net.initialState();
  const D = frames.pitches;
  let previous = new Uint8Array(D);
  for (let t = 0; t < until; t++) {
    net.advance(state, previous);
    previous = frames.data.slice(t * D, (t + 1) * D);
  }
  return { state, previous };
}

/**
 * Generates frames[from..to) in place, left to right, each drawn from p(frame | frames before, its
 * clamp) (clampAt(t) null: unconstrained).
 */
function generateForward(net: PolyphonicNet, frames: Frames, from: number, to: number, clampAt: (t: number) => Clamp | null, options: ResolvedOptions): void {
  const D = frames.pitches;
  const { state, previous: first } = readContext(net, frames, from);
  let previous = first;
  for (let t = from; t < to; t++) {
    net.advance(state, previous);
    const distribution = net.distribution(state);
    const clamp = clampAt(t);
    const { frame } = clamp
      ? distribution.sampleConstrained(options.random, clamp, options)
      : distribution.sample(options.random, options.temperature);
    frames.data.set(frame, t * D);
    previous = frame;
  }
}

function copyFrames(frames: Frames): Frames {
  return { steps: frames.steps, pitches: frames.pitches, data: Uint8Array.from(frames.data) };
}

/**
 * Harmonize: `melody` is a piano roll holding the given top voice (any notes it holds are kept).
 * At each step the given notes sound, nothing sounds above the highest of them, and the model fills
 * in the pitches below; at a step where the melody rests, `restSteps` decides. Each variation's roll
 * spans the melody's steps and holds the melody and the added voices.
 */
export function harmonize(model: PolyphonicWeights, melody: PianoRoll, options: HarmonizeOptions = {}): PolyphonicVariation[] {
  const resolved = resolve(options);
  const restSteps = options.restSteps ?? 'free';
  if (restSteps !== 'free' && restSteps !== 'silent') throw new PolyphonicError(`restSteps must be 'free' or 'silent', got ${String(restSteps)}.`);
  checkResolution(model, melody, 'The melody');
  const { range } = model.config;
  const given = framesFromPianoRoll(melody, range, 'The melody');
  if (given.steps === 0 || !pianoRollSpan(melody)) throw new PolyphonicError('The melody is empty: select at least one note to harmonize.');
  const net = new PolyphonicNet(model);
  const D = given.pitches;
  const clamps: Clamp[] = [];
  for (let t = 0; t < given.steps; t++) {
    const clamp = new Int8Array(D).fill(-1);
    let top = -1;
    for (let i = 0; i < D; i++) {
      if (given.data[t * D + i]) {
        clamp[i] = 1;
        top = i;
      }
    }
    if (top >= 0) clamp.fill(0, top + 1);
    else if (restSteps === 'silent') clamp.fill(0);
    clamps.push(clamp);
  }
  return Array.from({ length: resolved.variations }, (_, k) => {
    const frames = copyFrames(given);
    generateForward(net, frames, 0, frames.steps, (t) => clamps[t]!, resolved);
    resolved.progress(k + 1, resolved.variations);
    return { roll: framesToPianoRoll(frames, range, melody.resolution), logLikelihood: scoreFrames(net, frames, 0, frames.steps) };
  });
}

/**
 * Continue: `steps` new frames after `primer` (which may be empty: the model's own start). Each
 * variation's roll holds only the continuation (`steps` long), to be placed after the primer.
 */
export function continueRoll(model: PolyphonicWeights, primer: PianoRoll, steps: number, options: GenerateOptions = {}): PolyphonicVariation[] {
  const resolved = resolve(options);
  if (!Number.isInteger(steps) || steps < 1) throw new PolyphonicError(`Continue needs a whole number of steps ≥ 1, got ${steps}.`);
  checkResolution(model, primer, 'The primer');
  const { range } = model.config;
  const context = framesFromPianoRoll(primer, range, 'The primer');
  const net = new PolyphonicNet(model);
  const D = context.pitches;
  return Array.from({ length: resolved.variations }, (_, k) => {
    resolved.progress(k, resolved.variations);
    const data = new Uint8Array((context.steps + steps) * D);
    data.set(context.data);
    const frames: Frames = { steps: context.steps + steps, pitches: D, data };
    generateForward(net, frames, context.steps, frames.steps, () => null, resolved);
    const continuation: Frames = { steps, pitches: D, data: data.slice(context.steps * D) };
    return { roll: framesToPianoRoll(continuation, range, primer.resolution), logLikelihood: scoreFrames(net, frames, context.steps, frames.steps) };
  });
}

/** The region's frames resampled by Metropolis-Hastings against the frames after them; returns the acceptance rate. */
function refineRegion(net: PolyphonicNet, frames: Frames, start: number, end: number, windowEnd: number, clamps: readonly Clamp[], sweeps: number, options: ResolvedOptions): number {
  const D = frames.pitches;
  const frameAt = (t: number): Uint8Array => frames.data.subarray(t * D, (t + 1) * D);
  // states[t − start]: ready to give the distribution of frame t (frames before t fed).
  const { state: begin, previous } = readContext(net, frames, start);
  net.advance(begin, previous);
  const states: RecurrentState[] = [begin];
  const logP: number[] = [];
  for (let t = start; t < windowEnd; t++) {
    const state = states[t - start]!;
    logP.push(net.distribution(state).logProb(frameAt(t), options.temperature));
    if (t + 1 < windowEnd) {
      const next = copyState(state);
      net.advance(next, frameAt(t));
      states.push(next);
    }
  }
  let accepted = 0;
  let proposed = 0;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let t = start; t < end; t++) {
      const distribution: FrameDistribution = net.distribution(states[t - start]!);
      const clamp = clamps[t - start]!;
      // Proposal: one ancestral draw given the clamps; its acceptance weighs in the clamped pitches'
      // conditionals (w) and the frames after it (L): ratio w'L' / wL.
      const proposal = distribution.sampleConstrained(options.random, clamp, { ...options, proposals: 1, sweeps: 0 });
      const current = frameAt(t);
      const clampedLogP = (frame: Uint8Array): number => distribution.logProbParts(frame, clamp, options.temperature).clamped;
      const newStates: RecurrentState[] = [];
      const newLogP: number[] = [];
      let state = copyState(states[t - start]!);
      net.advance(state, proposal.frame);
      let futureNew = 0;
      let futureOld = 0;
      for (let s = t + 1; s < windowEnd; s++) {
        newStates.push(state);
        const value = net.distribution(state).logProb(frameAt(s), options.temperature);
        newLogP.push(value);
        futureNew += value;
        futureOld += logP[s - start]!;
        if (s + 1 < windowEnd) {
          state = copyState(state);
          net.advance(state, frameAt(s));
        }
      }
      const logRatio = clampedLogP(proposal.frame) + futureNew - (clampedLogP(current) + futureOld);
      proposed++;
      if (Math.log(options.random.next()) < logRatio) {
        accepted++;
        current.set(proposal.frame);
        logP[t - start] = proposal.logProb;
        newStates.forEach((next, k) => {
          states[t + 1 + k - start] = next;
          logP[t + 1 + k - start] = newLogP[k]!;
        });
      }
    }
  }
  return proposed === 0 ? 1 : accepted / proposed;
}

/**
 * Infill: regenerate `region` of `roll` (steps startStep..endStep−1, pitches lowPitch..highPitch),
 * consistent with what comes before it and, with `lookahead` > 0, with up to that many frames after
 * it. Each variation's roll is the whole roll with the region replaced.
 */
export function infill(model: PolyphonicWeights, roll: PianoRoll, region: InfillRegion, options: InfillOptions = {}): PolyphonicVariation[] {
  const resolved = resolve(options);
  const lookahead = options.lookahead ?? 16;
  const refineSweeps = options.refineSweeps ?? 2;
  if (!Number.isInteger(lookahead) || lookahead < 0) throw new PolyphonicError(`lookahead must be a whole number ≥ 0, got ${lookahead}.`);
  if (!Number.isInteger(refineSweeps) || refineSweeps < 0) throw new PolyphonicError(`refineSweeps must be a whole number ≥ 0, got ${refineSweeps}.`);
  checkResolution(model, roll, 'The piano roll');
  const { range } = model.config;
  const frames = framesFromPianoRoll(roll, range);
  const { startStep: start, endStep: end } = region;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0) throw new PolyphonicError(`The region's steps must be whole numbers ≥ 0, got ${start}..${end}.`);
  if (end <= start) throw new PolyphonicError(`The selection is empty (steps ${start}..${end}): select at least one step to infill.`);
  if (end > frames.steps) throw new PolyphonicError(`The region ends at step ${end}, after the piano roll's ${frames.steps} steps.`);
  const low = region.lowPitch ?? range.low;
  const high = region.highPitch ?? range.high;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high >= PIANO_ROLL_PITCHES) throw new PolyphonicError(`The region's pitches must be MIDI pitches, got ${low}..${high}.`);
  if (high < low) throw new PolyphonicError(`The selection is empty (pitches ${low}..${high}): select at least one pitch to infill.`);
  if (low < range.low || high > range.high) {
    throw new PolyphonicError(`The region covers pitches ${low}..${high}, beyond the model's trained range ${formatRange(range)}.`);
  }
  const net = new PolyphonicNet(model);
  const D = frames.pitches;
  const clamps: Clamp[] = [];
  for (let t = start; t < end; t++) {
    const clamp = Int8Array.from(frames.data.subarray(t * D, (t + 1) * D));
    clamp.fill(-1, low - range.low, high - range.low + 1);
    clamps.push(clamp);
  }
  const windowEnd = Math.min(frames.steps, end + lookahead);
  return Array.from({ length: resolved.variations }, (_, k) => {
    resolved.progress(k, resolved.variations);
    const result = copyFrames(frames);
    generateForward(net, result, start, end, (t) => clamps[t - start]!, resolved);
    const acceptance = lookahead > 0 && refineSweeps > 0 && windowEnd > end ? refineRegion(net, result, start, end, windowEnd, clamps, refineSweeps, resolved) : undefined;
    const variation: PolyphonicVariation = {
      roll: framesToPianoRoll(result, range, roll.resolution),
      logLikelihood: scoreFrames(net, result, 0, result.steps),
    };
    return acceptance === undefined ? variation : { ...variation, acceptance };
  });
}
