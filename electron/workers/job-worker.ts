/** The studio's job worker: one entry for every kind of job, dispatched by kind. */
import { COMPARE_JOB } from '../../core/comparisons/jobs';
import { IMPORT_MIDI_JOB } from '../../core/jobs/import-midi';
import { GENERATE_JOB, TRAIN_MODEL_JOB } from '../../core/models/hmm-studio/jobs';
import { isNeuralGenerateInput, isNeuralTrainInput } from '../../core/models/neural-studio/jobs';
import { isPolyphonicInput } from '../../core/models/polyphonic/jobs';
import { isRlInput } from '../../core/models/rl/jobs';
import { isVaeInput } from '../../core/models/vae/jobs';
import { compare } from './handlers/compare';
import { generate } from './handlers/generate';
import { generateNeural } from './handlers/generate-neural';
import { importMidi } from './handlers/import-midi';
import { RENDER_WAV_JOB, renderWav } from './handlers/render-wav';
import { trainModel } from './handlers/train-model';
import { trainNeural } from './handlers/train-neural';
import { trainPolyphonic } from './handlers/train-polyphonic';
import { trainRlModel } from './handlers/train-rl';
import { trainVaeModel } from './handlers/train-vae';
import { runPolyphonicGeneration } from './polyphonic/generate-polyphonic';
import { runRlGeneration } from './rl/generate-rl';
import { runJobWorker } from './runtime';
import { runVaeGeneration } from './vae/generate-vae';

// Neural models (LSTM, transformer), polyphonic ones, VAEs and RL models share the HMM's job kinds;
// the input main prepares names their family (harmonize and infill are generate jobs of polyphonic
// models, reconstruct and interpolate of VAEs). (Imported statically: a dynamic import would split the Electron build's worker into
// chunks, and the packaged worker is one unpacked file.)
runJobWorker({
  [IMPORT_MIDI_JOB]: importMidi,
  [TRAIN_MODEL_JOB]: (payload, context) => {
    if (isPolyphonicInput(context.input)) return trainPolyphonic(payload, context);
    if (isVaeInput(context.input)) return trainVaeModel(payload, context);
    if (isRlInput(context.input)) return trainRlModel(payload, context);
    return isNeuralTrainInput(context.input) ? trainNeural(payload, context) : trainModel(payload, context);
  },
  [GENERATE_JOB]: async (payload, context) => {
    if (isPolyphonicInput(context.input)) return runPolyphonicGeneration(context.input, context);
    if (isVaeInput(context.input)) return runVaeGeneration(context.input, context);
    if (isRlInput(context.input)) return runRlGeneration(payload, context);
    return isNeuralGenerateInput(context.input) ? generateNeural(payload, context) : generate(payload, context);
  },
  [RENDER_WAV_JOB]: renderWav,
  [COMPARE_JOB]: compare,
});
