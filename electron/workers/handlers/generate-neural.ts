/**
 * Worker side of generating with a neural model: the model rebuilt from its saved state, then each
 * requested variation (seed, seed + 1, …) sampled and streamed to main while it is made: a part
 * every 64 notes or tokens (or 100 ms, whichever comes first), holding only what is new, so main
 * creates the clip at the first part and its first notes can play before the piece is done. A
 * cancel sends what was made since the last part before the job stops. The LSTM steps one note at
 * a time with its state carried, on the engine's tensor-free kernels (native when built).
 */
import type { LstmSettings, TransformerSettings } from '../../../core/ipc/schemas';
import { GeneratePayloadSchema, type GenerateWorkerResult } from '../../../core/models/hmm-studio/jobs';
import {
  decodeSnapshot,
  lstmPiece,
  lstmConfig,
  LstmNoteStream,
  PartPacer,
  PieceStream,
  readSavedNeuralModel,
  restoreSnapshot,
  sampleLstmNotes,
  sampleTransformerTokens,
  samplingOf,
  transformerConfig,
  transformerPiece,
  type GeneratedPartData,
  type LstmPrimer,
  type NeuralGenerateInput,
} from '../../../core/models/neural-studio';
import { EventTransformer } from '../../../core/models/neural/event-transformer';
import { noteStepLstmWeightsFrom, noteStepper } from '../../../core/models/neural/note-step-lstm';
import type { NoteStepLstmConfig } from '../../../core/models/neural/note-step-lstm';
import { mixSeed } from '../../../core/models/neural/random-streams';
import { createEngine } from '../neural/engine';
import type { JobContext } from '../runtime';

export async function generateNeural(rawPayload: unknown, context: JobContext): Promise<GenerateWorkerResult> {
  const payload = GeneratePayloadSchema.parse(rawPayload);
  const input = context.input as NeuralGenerateInput;
  if (!input?.settings || input.state === undefined || input.state === null) throw new Error('The generate job started without its model.');
  const saved = readSavedNeuralModel(input.state, input.family);
  const snapshot = decodeSnapshot(saved);
  const sampling = samplingOf(payload.temperature, payload.topK, payload.topP);
  const engine = await createEngine({ prefer: 'native', threads: 1 });
  const what = input.family === 'lstm' ? 'notes' : 'events';
  const pieceOptions = (index: number) => ({ name: `Sample ${index + 1}`, tempo: input.tempoBpm, ppq: input.ppq });
  const send = (part: GeneratedPartData | null): void => {
    if (part) context.emit(part);
  };

  if (input.family === 'lstm') {
    const config = snapshot.config as NoteStepLstmConfig;
    const settings = input.settings as LstmSettings;
    if (config.windowLength !== lstmConfig(settings).windowLength) throw new Error('The saved model does not match its settings.');
    const arrays = new Map(snapshot.weights.map((array) => [array.name, array.values as Float32Array] as const));
    const stepper = noteStepper(noteStepLstmWeightsFrom(config, (name) => arrays.get(name)), engine.ops.raw);
    for (let index = 0; index < payload.count; index++) {
      context.throwIfCancelled();
      const seed = payload.seed + index;
      const openings = snapshot.family === 'lstm' ? snapshot.openings : [];
      const primer: LstmPrimer =
        input.primer.kind === 'clip-notes'
          ? { rows: input.primer.rows, keep: true }
          : { rows: openings.length > 0 ? openings[mixSeed(seed) % openings.length]! : [], keep: false };
      if (primer.rows.length === 0) throw new Error('An LSTM needs notes to start from: choose a primer clip, or train on pieces with notes.');
      const request = { ...sampling, length: payload.length, seed };
      const options = pieceOptions(index);
      const stream = new PieceStream(index, seed);
      const decoder = new LstmNoteStream(primer, options);
      const pacer = new PartPacer(Date.now);
      const notes = sampleLstmNotes(stepper, primer, request, input.tempoBpm, {
        hasVelocity: config.velocity,
        onNote: (count, soFar) => {
          if (context.isCancelled()) {
            // Main keeps what was made: it gets the notes since the last part before the job stops.
            send(stream.partAdding(decoder.fresh(soFar), false));
            context.throwIfCancelled();
          }
          if (pacer.due(count)) send(stream.partAdding(decoder.fresh(soFar), false));
          if (count % 64 === 0) context.progress((index + (payload.length.unit === 'steps' ? count / payload.length.value : 0.5)) / payload.count, `Sample ${index + 1} of ${payload.count}: ${count} ${what}…`);
        },
      });
      // The finished piece (cut at its last bar): usually nothing but the notes since the last part.
      send(stream.partFor(lstmPiece(primer, notes, request, options), true));
      context.progress((index + 1) / payload.count, `Made ${index + 1} of ${payload.count}.`);
    }
    return { generated: payload.count };
  }

  const settings = input.settings as TransformerSettings;
  const model = new EventTransformer(engine.tf, engine.ops, transformerConfig(settings));
  try {
    await restoreSnapshot(engine.tf, model, snapshot);
    const primer = input.primer.kind === 'clip-tokens' ? input.primer.tokens : [];
    for (let index = 0; index < payload.count; index++) {
      context.throwIfCancelled();
      const seed = payload.seed + index;
      const request = { ...sampling, length: payload.length, seed };
      const options = pieceOptions(index);
      const stream = new PieceStream(index, seed);
      const pacer = new PartPacer(Date.now);
      // The music so far, decoded whole (a token can end a note begun long before; a token costs far
      // more than decoding): notes still sounding wait for their end before they are sent.
      const soFar = (tokens: readonly number[]) => transformerPiece(primer, tokens, request, settings.resolution, options, 'drop');
      const tokens = sampleTransformerTokens(model, primer, request, {
        resolution: settings.resolution,
        onToken: (count, generated) => {
          if (context.isCancelled()) {
            send(stream.partFor(soFar(generated), false));
            context.throwIfCancelled();
          }
          if (pacer.due(count)) send(stream.partFor(soFar(generated), false));
          if (count % 16 === 0) {
            context.progress((index + (payload.length.unit === 'steps' ? count / payload.length.value : 0.5)) / payload.count, `Sample ${index + 1} of ${payload.count}: ${count} ${what}…`);
          }
        },
      });
      send(stream.partFor(transformerPiece(primer, tokens, request, settings.resolution, options), true));
      context.progress((index + 1) / payload.count, `Made ${index + 1} of ${payload.count}.`);
    }
    return { generated: payload.count };
  } finally {
    model.dispose();
  }
}
