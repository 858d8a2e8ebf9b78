/** The studio's job worker: one entry for every kind of job, dispatched by kind. */
import { IMPORT_MIDI_JOB } from '../../core/jobs/import-midi';
import { importMidi } from './handlers/import-midi';
import { runJobWorker } from './runtime';

runJobWorker({
  [IMPORT_MIDI_JOB]: importMidi,
});
