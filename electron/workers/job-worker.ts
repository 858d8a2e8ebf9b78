/** The studio's job worker: one entry for every kind of job, dispatched by kind. */
import { COMPARE_JOB } from '../../core/comparisons/jobs';
import { IMPORT_MIDI_JOB } from '../../core/jobs/import-midi';
import { GENERATE_JOB, TRAIN_MODEL_JOB } from '../../core/models/hmm-studio/jobs';
import { compare } from './handlers/compare';
import { generate } from './handlers/generate';
import { importMidi } from './handlers/import-midi';
import { RENDER_WAV_JOB, renderWav } from './handlers/render-wav';
import { trainModel } from './handlers/train-model';
import { runJobWorker } from './runtime';

runJobWorker({
  [IMPORT_MIDI_JOB]: importMidi,
  [TRAIN_MODEL_JOB]: trainModel,
  [GENERATE_JOB]: generate,
  [RENDER_WAV_JOB]: renderWav,
  [COMPARE_JOB]: compare,
});
