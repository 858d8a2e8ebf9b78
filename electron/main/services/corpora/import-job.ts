/** Main's side of the MIDI import job: writes each batch the worker sends, and reports the outcome. */
import fs from 'node:fs';
import {
  IMPORT_MIDI_JOB,
  ImportMidiPayloadSchema,
  type ImportBatch,
  type ImportMidiPayload,
} from '../../../../core/jobs/import-midi';
import type { ImportFailure, JobResult } from '../../../../core/ipc/schemas';
import { defineJob } from '../jobs/job-definition';
import type { CorpusStore } from './corpus-store';

export interface ImportJobDependencies {
  readonly corpora: CorpusStore;
  /** Called after each stored batch so the library view can refresh. */
  readonly onLibraryChanged: (corpusId: number) => void;
}

export function importMidiJob(dependencies: ImportJobDependencies) {
  return defineJob<ImportMidiPayload>({
    kind: IMPORT_MIDI_JOB,
    payloadSchema: ImportMidiPayloadSchema,
    title: (payload) => `Import into “${payload.corpusName}”`,
    start(payload) {
      let imported = 0;
      const duplicates: string[] = [];
      const failures: ImportFailure[] = [];
      return {
        onData(data) {
          const batch = data as ImportBatch;
          failures.push(...batch.failures);
          if (batch.pieces.length === 0) return;
          const outcome = dependencies.corpora.insertPieces(payload.corpusId, batch.pieces);
          imported += outcome.inserted;
          duplicates.push(...outcome.duplicates);
          failures.push(...outcome.failures);
          dependencies.onLibraryChanged(payload.corpusId);
        },
        // Runs when the job completes or is cancelled: the pieces stored so far get their splits.
        finish(): JobResult {
          if (imported > 0) dependencies.corpora.applySeededSplits(payload.corpusId);
          return { kind: 'import-midi', corpusId: payload.corpusId, imported, duplicates, failures };
        },
        dispose() {
          if (payload.stagingDir !== null) fs.rmSync(payload.stagingDir, { recursive: true, force: true });
        },
      };
    },
  });
}
