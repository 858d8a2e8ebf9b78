/**
 * Main's side of the generate job: hands the worker the model's saved state (and, for a neural
 * model, its primer) and stores what it sends back as clips at once, so a cancelled request keeps
 * the clips already made and the first clips can be played while the others are made.
 *
 * An HMM's piece arrives whole (it is instant). A neural variation streams in parts: its clip is
 * created at the first part, grown as parts arrive (written and announced at most every
 * CLIP_UPDATE_INTERVAL_MS, since a write rewrites the clip's whole document) and written once more
 * when the variation ends. Stopped mid-way (cancelled, failed), it keeps the notes made so far and
 * says so in its name.
 */
import { z } from 'zod';
import { isHmmSettings, isNeuralSettings, isPolyphonicSettings, isRlSettings, isVaeSettings, type JobResult, type ModelSummary } from '../../../../core/ipc/schemas';
import {
  GENERATE_JOB,
  GeneratePayloadSchema,
  clipName,
  type GeneratedPieceData,
  type GenerateInput,
  type GeneratePayload,
} from '../../../../core/models/hmm-studio';
import type { GeneratedPartData } from '../../../../core/models/neural-studio/jobs';
import { HarmonizePayloadSchema, InfillPayloadSchema, isPolyphonicUsePayload, type PolyphonicVariationData } from '../../../../core/models/polyphonic/jobs';
import type { VaeGenerateResult } from '../../../../core/models/vae/jobs';
import { InterpolatePayloadSchema, isVaeUsePayload, ReconstructPayloadSchema } from '../../../../core/models/vae/studio';
import type { Note, Piece } from '../../../../core/music/types';
import { StudioError } from '../../../../core/ipc/envelope';
import type { ClipStore } from '../clips/clip-store';
import { defineJob } from '../jobs/job-definition';
import type { ModelStore } from './model-store';
import { neuralGenerateInput } from './neural-input';
import { preparePolyphonicGeneration, type PolyphonicGeneratePayload } from './polyphonic-input';
import { rlGenerateInput } from './rl-input';
import { prepareVaeGeneration, type VaeGeneratePayload } from './vae-input';

/** Every generate job's payload: models.generate's, the polyphonic models' harmonize and infill, the VAEs' reconstruct and interpolate. */
export const AnyGeneratePayloadSchema = z.union([GeneratePayloadSchema, HarmonizePayloadSchema, InfillPayloadSchema, ReconstructPayloadSchema, InterpolatePayloadSchema]);
export type AnyGeneratePayload = PolyphonicGeneratePayload | VaeGeneratePayload;

/** The most often a growing clip is rewritten and announced. */
export const CLIP_UPDATE_INTERVAL_MS = 100;
/** Added to the name of a clip whose variation was stopped before its end. */
export const STOPPED_SUFFIX = ' (stopped)';

export interface GenerateJobDependencies {
  readonly models: ModelStore;
  readonly clips: ClipStore;
  /** A clip was created, or its music grew: announced as 'clips.changed'. */
  readonly onClipAdded: (clipId: number) => void;
  readonly clipUpdateIntervalMs?: number;
  readonly now?: () => number;
}

/** The clip of the variation being streamed, with its notes so far (main's copy, in order). */
interface GrowingClip {
  readonly clipId: number;
  readonly index: number;
  readonly name: string;
  readonly head: Piece;
  readonly notes: Note[];
  writtenAt: number;
  unwritten: boolean;
}

function withNotes(head: Piece, notes: readonly Note[]): Piece {
  return { ...head, tracks: head.tracks.map((track, index) => (index === 0 ? { ...track, notes } : track)) };
}

export function generateJob(dependencies: GenerateJobDependencies) {
  const { models, clips, onClipAdded } = dependencies;
  const intervalMs = dependencies.clipUpdateIntervalMs ?? CLIP_UPDATE_INTERVAL_MS;
  const now = dependencies.now ?? Date.now;

  /** A polyphonic request: each result arrives whole and becomes a clip at once. */
  const startPolyphonic = (model: ReturnType<ModelStore['get']>, payload: PolyphonicGeneratePayload) => {
    const prepared = preparePolyphonicGeneration({ models, clips }, model, payload);
    const clipIds: number[] = [];
    return {
      input: prepared.input,
      onData(data: unknown) {
        const variation = data as PolyphonicVariationData;
        if (variation.type !== 'polyphonic-variation') return;
        const clipId = clips.insert({ name: prepared.name(variation.index), modelId: model.id, music: prepared.compose(variation.roll) });
        clipIds.push(clipId);
        onClipAdded(clipId);
      },
      finish(): JobResult {
        return { kind: 'generate', modelId: payload.modelId, clipIds: [...clipIds] };
      },
    };
  };

  /** A VAE's request: the worker returns every result at once; they become clips when it ends. */
  const startVae = (model: ModelSummary, payload: VaeGeneratePayload) => {
    const prepared = prepareVaeGeneration({ models, clips }, model, payload);
    return {
      input: prepared.input,
      finish(workerResult: unknown): JobResult {
        const clipIds: number[] = [];
        // No result: cancelled before the results were made.
        if (workerResult !== undefined) {
          for (const clip of prepared.clipsOf(workerResult as VaeGenerateResult)) {
            const clipId = clips.insert({ name: clip.name, modelId: model.id, music: clip.music });
            clipIds.push(clipId);
            onClipAdded(clipId);
          }
        }
        return { kind: 'generate', modelId: payload.modelId, clipIds };
      },
    };
  };

  return defineJob<AnyGeneratePayload>({
    kind: GENERATE_JOB,
    payloadSchema: AnyGeneratePayloadSchema,
    title: (payload) => {
      const model = models.find(payload.modelId);
      const count = 'count' in payload ? payload.count : 1;
      const what = `${count} clip${count === 1 ? '' : 's'}`;
      const verb = isPolyphonicUsePayload(payload)
        ? payload.use === 'harmonize'
          ? 'Harmonize'
          : 'Infill'
        : isVaeUsePayload(payload)
          ? payload.use === 'reconstruct'
            ? 'Reconstruct'
            : 'Interpolate'
          : 'Generate';
      return model ? `${verb}: ${what} with “${model.name}”` : `${verb}: ${what}`;
    },
    start(anyPayload) {
      const model = models.get(anyPayload.modelId);
      if (isVaeSettings(model.settings) || isVaeUsePayload(anyPayload)) return startVae(model, anyPayload as VaeGeneratePayload);
      if (isPolyphonicSettings(model.settings) || isPolyphonicUsePayload(anyPayload)) return startPolyphonic(model, anyPayload as PolyphonicGeneratePayload);
      const payload = anyPayload as GeneratePayload;
      const state = models.state(payload.modelId);
      if (state === null) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one iteration first.`);
      const settings = model.settings;
      const typicalTempo = models.typicalTempo(model.corpusId);
      let input: GenerateInput | ReturnType<typeof neuralGenerateInput> | ReturnType<typeof rlGenerateInput>;
      if (isHmmSettings(settings)) {
        input = { settings, state, tempoBpm: typicalTempo };
      } else if (isRlSettings(settings)) {
        // The tuned policy is an LSTM: its generation, streamed in parts, is the LSTM's.
        input = rlGenerateInput(clips, models, model, payload);
      } else {
        if (!isNeuralSettings(settings)) throw new Error(`No generation for models of family ${model.family}.`);
        input = neuralGenerateInput({ clips, settings, state, payload, typicalTempo });
      }
      const clipIds: number[] = [];
      let growing: GrowingClip | undefined;

      const nextName = (): string => clipName(model.name, clips.countOfModel(model.id) + 1);

      const write = (clip: GrowingClip, name?: string): void => {
        clips.update(clip.clipId, { ...(name === undefined ? {} : { name }), music: withNotes(clip.head, clip.notes) });
        clip.writtenAt = now();
        clip.unwritten = false;
        onClipAdded(clip.clipId);
      };

      /** Ends the growing clip: written as it stands, its name saying whether it was finished. */
      const close = (finished: boolean): void => {
        const clip = growing;
        if (!clip) return;
        growing = undefined;
        if (!finished) write(clip, `${clip.name}${STOPPED_SUFFIX}`);
        else if (clip.unwritten) write(clip);
      };

      const onPart = (part: GeneratedPartData): void => {
        if (growing && growing.index !== part.index) close(false);
        if (!growing) {
          if (!part.head) throw new Error(`Part of variation ${part.index + 1} arrived without its beginning.`);
          const name = nextName();
          const notes = [...part.notes];
          const clipId = clips.insert({ name, modelId: model.id, music: withNotes(part.head, notes) });
          clipIds.push(clipId);
          onClipAdded(clipId);
          if (!part.final) growing = { clipId, index: part.index, name, head: part.head, notes, writtenAt: now(), unwritten: false };
          return;
        }
        const clip = growing;
        if (part.keep > clip.notes.length) throw new Error(`Part of variation ${part.index + 1} keeps ${part.keep} notes of ${clip.notes.length}.`);
        clip.notes.length = part.keep;
        for (const note of part.notes) clip.notes.push(note);
        clip.unwritten = true;
        if (part.final) close(true);
        else if (now() - clip.writtenAt >= intervalMs) write(clip);
      };

      return {
        input,
        onData(data) {
          const generated = data as GeneratedPieceData | GeneratedPartData;
          if (generated.type === 'part') {
            onPart(generated);
            return;
          }
          if (generated.type !== 'piece') return;
          const clipId = clips.insert({ name: nextName(), modelId: model.id, music: generated.piece });
          clipIds.push(clipId);
          onClipAdded(clipId);
        },
        finish(workerResult): JobResult {
          // No result: the job was cancelled, and the variation being made keeps its notes so far.
          close(workerResult !== undefined);
          return { kind: 'generate', modelId: payload.modelId, clipIds: [...clipIds] };
        },
        dispose() {
          // Failed, or stopped by force: the part-made clip is kept, marked as stopped.
          close(false);
        },
      };
    },
  });
}
