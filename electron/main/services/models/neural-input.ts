/**
 * What main prepares for the neural models' jobs from the database: the train and validation
 * sequences (transferred to the worker, not stored with the job), the primer of a generation, and
 * the checks that refuse a request before any job starts (a window longer than every piece).
 */
import { StudioError } from '../../../../core/ipc/envelope';
import type { ModelSummary, NeuralSettings } from '../../../../core/ipc/schemas';
import type { GeneratePayload } from '../../../../core/models/hmm-studio/jobs';
import {
  checkNeuralSettings,
  NeuralSettingsError,
  neuralSequenceBuffers,
  neuralSequencesFor,
  type NeuralGenerateInput,
  type NeuralPrimerInput,
  type NeuralTrainInput,
} from '../../../../core/models/neural-studio';
import { RepresentationError } from '../../../../core/music/errors';
import { encodeEvents, encodeNoteSteps } from '../../../../core/music/representations';
import { DEFAULT_DECODE_PPQ } from '../../../../core/music/representations';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';

/** Refuses neural settings the corpus cannot train (before the model is created or its job queued). */
export function checkNeuralRequest(corpora: CorpusStore, corpusId: number, corpusName: string, settings: NeuralSettings): void {
  const train = corpora.pieces(corpusId).filter((piece) => piece.split === 'train');
  const longestTrainPiece = train.reduce((longest, piece) => Math.max(longest, piece.noteCount), 0);
  try {
    checkNeuralSettings(settings, { corpusName, longestTrainPiece });
  } catch (error) {
    if (error instanceof NeuralSettingsError) throw new StudioError(error.message, 'invalid-input');
    throw error;
  }
}

export interface NeuralTrainRequest {
  readonly corpora: CorpusStore;
  readonly model: ModelSummary;
  readonly settings: NeuralSettings;
  readonly resume: unknown;
}

export function neuralTrainInput({ corpora, model, settings, resume }: NeuralTrainRequest): { input: NeuralTrainInput; transfer: ArrayBuffer[] } {
  const source = { corpusName: model.corpusName };
  const train = neuralSequencesFor(corpora.loadPieces(model.corpusId, 'train'), settings, { ...source, split: 'train' });
  const validPieces = corpora.loadPieces(model.corpusId, 'valid');
  let valid = null;
  if (validPieces.length > 0) {
    try {
      valid = neuralSequencesFor(validPieces, settings, { ...source, split: 'valid' });
    } catch {
      // A validation split without usable notes gives no validation loss rather than a failure.
      valid = null;
    }
  }
  return {
    input: { family: settings.family, settings, train, valid, resume },
    transfer: [...neuralSequenceBuffers(train), ...(valid ? neuralSequenceBuffers(valid) : [])],
  };
}

export interface NeuralGenerateRequest {
  readonly clips: ClipStore;
  readonly settings: NeuralSettings;
  readonly state: unknown;
  readonly payload: GeneratePayload;
  readonly typicalTempo: number;
}

export function neuralGenerateInput({ clips, settings, state, payload, typicalTempo }: NeuralGenerateRequest): NeuralGenerateInput {
  let primer: NeuralPrimerInput = { kind: 'none' };
  let tempoBpm = typicalTempo;
  let ppq = DEFAULT_DECODE_PPQ;
  if (payload.primerClipId !== undefined) {
    const clip = clips.get(payload.primerClipId);
    tempoBpm = clip.tempos[0]?.bpm ?? typicalTempo;
    ppq = clip.ppq;
    try {
      primer =
        settings.family === 'lstm'
          ? { kind: 'clip-notes', rows: encodeNoteSteps(clip) }
          : { kind: 'clip-tokens', tokens: Array.from(encodeEvents(clip, { resolution: settings.resolution })) };
    } catch (error) {
      if (error instanceof RepresentationError) throw new StudioError(`The primer “${clip.name}” cannot start a generation: ${error.message}`, 'invalid-input');
      throw error;
    }
  }
  return { family: settings.family, settings, state, tempoBpm, ppq, primer };
}
