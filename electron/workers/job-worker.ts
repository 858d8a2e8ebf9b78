/** The studio's job worker: one entry for every kind of job, dispatched by kind. */
import { COMPARE_JOB } from '../../core/comparisons/jobs';
import { IMPORT_MIDI_JOB } from '../../core/jobs/import-midi';
import { GENERATE_JOB, TRAIN_MODEL_JOB } from '../../core/models/hmm-studio/jobs';
import { isNeuralGenerateInput, isNeuralTrainInput } from '../../core/models/neural-studio/jobs';
import { compare } from './handlers/compare';
import { generate } from './handlers/generate';
import { generateNeural } from './handlers/generate-neural';
import { importMidi } from './handlers/import-midi';
import { RENDER_WAV_JOB, renderWav } from './handlers/render-wav';
import { trainModel } from './handlers/train-model';
import { trainNeural } from './handlers/train-neural';
import { runJobWorker } from './runtime';

// Neural models (LSTM, transformer) share the HMM's job kinds; the input main prepares names their
// family. (Imported statically: a dynamic import would split the Electron build's worker into
// chunks, and the packaged worker is one unpacked file.)
runJobWorker({
  [IMPORT_MIDI_JOB]: importMidi,
  [TRAIN_MODEL_JOB]: (payload, context) => (isNeuralTrainInput(context.input) ? trainNeural(payload, context) : trainModel(payload, context)),
  [GENERATE_JOB]: (payload, context) => (isNeuralGenerateInput(context.input) ? generateNeural(payload, context) : generate(payload, context)),
  [RENDER_WAV_JOB]: renderWav,
  [COMPARE_JOB]: compare,
});
