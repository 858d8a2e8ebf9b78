// What the neural model families add to the engine and the store: the native batched product
// (attention's per-head products) against tfjs's, values and gradients for every transpose; the
// tensor-free generation kernels (native) against the JavaScript ones; the studio's LSTM and
// transformer giving the same loss curve on the native and the wasm paths for a fixed seed; and the
// models table rebuilt for the new families with every row, link and id counter kept.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LstmSettingsSchema, TransformerSettingsSchema } from '../../core/ipc/schemas';
import { mulberry32 } from '../../core/models/hmm/random';
import { tokenSequenceSet } from '../../core/models/neural-studio/sequences';
import { createLstmTask, createTransformerTask, type NeuralTask } from '../../core/models/neural-studio/tasks';
import { noteStepSet } from '../../core/models/neural/note-step-data';
import { createTfjsOps, type Tensor, type Tensor3D, type Tf } from '../../core/models/neural/ops';
import { createJavascriptRawKernels } from '../../core/models/neural/raw-kernels';
import { openDatabase, schemaVersion } from '../../electron/main/services/database/open-database';
import { ModelStore } from '../../electron/main/services/models/model-store';
import Database from 'better-sqlite3';
import { migrations } from '../../electron/main/services/database/migrations';
import { resolveNativeBinding } from '../../electron/main/services/database/native-binding';
import { createEngine, type EnginePath } from '../../electron/workers/neural/engine';
import { loadNeuralAddon } from '../../electron/workers/neural/native-addon';
import { createNativeOps } from '../../electron/workers/neural/native-ops';
import { tempDir } from '../support/paths';
import { expectClose, randomArray } from '../unit/neural/helpers';

const load = loadNeuralAddon();
const built = load.addon !== null;
if (!built) console.warn(`the native neural kernels are not available (${load.reason ?? ''}): the native comparisons are skipped`);

function melodies(seed: number, pieces: number, length: number) {
  const random = mulberry32(seed);
  return Array.from({ length: pieces }, () => {
    let pitch = 60;
    return Array.from({ length }, () => {
      pitch = Math.min(90, Math.max(40, pitch + Math.round((random() - 0.5) * 8)));
      return { pitch, step: Math.round(random() * 4) / 8, duration: 0.125 + Math.round(random() * 6) / 8, velocity: 40 + Math.floor(random() * 80) };
    });
  });
}

describe.skipIf(!built)('native kernels for the neural families', () => {
  it('batchMatMul equals tfjs matMul for every transpose, values and gradients', async () => {
    const engine = await createEngine({ prefer: 'native' });
    const tf: Tf = engine.tf;
    const native = createNativeOps(tf, load.addon!);
    const reference = createTfjsOps(tf);
    const [N, M, K, P] = [3, 5, 7, 4];
    for (const [transposeA, transposeB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const a = tf.tensor3d(randomArray(1, N * M * K), transposeA ? [N, K, M] : [N, M, K]);
      const b = tf.tensor3d(randomArray(2, N * K * P), transposeB ? [N, P, K] : [N, K, P]);
      const weights = tf.tensor3d(randomArray(3, N * M * P), [N, M, P]);
      const run = (ops: typeof native) => {
        const loss = (x: Tensor, y: Tensor): Tensor => tf.sum(tf.mul(ops.batchMatMul(x as Tensor3D, y as Tensor3D, transposeA, transposeB), weights));
        const value = Float32Array.from(ops.batchMatMul(a, b, transposeA, transposeB).dataSync() as Float32Array);
        const grads = tf.grads(loss)([a, b]).map((grad) => Float32Array.from(grad.dataSync() as Float32Array));
        return { value, grads };
      };
      const ours = run(native);
      const theirs = run(reference);
      const label = `${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}`;
      expectClose(ours.value, theirs.value, 1e-5, `${label} value`);
      expectClose(ours.grads[0]!, theirs.grads[0]!, 1e-5, `${label} dA`);
      expectClose(ours.grads[1]!, theirs.grads[1]!, 1e-5, `${label} dB`);
    }
  });

  it('the generation kernels (one LSTM step, one dense product) equal the JavaScript ones', async () => {
    const engine = await createEngine({ prefer: 'native' });
    const native = engine.ops.raw;
    const javascript = createJavascriptRawKernels();
    expect(native.name).toBe('native');
    const [B, I, H] = [2, 19, 33];
    const call = {
      batch: B,
      input: I,
      hidden: H,
      x: randomArray(4, B * I),
      h: randomArray(5, B * H),
      c: randomArray(6, B * H),
      w: randomArray(7, I * 4 * H, 0.3),
      u: randomArray(8, H * 4 * H, 0.3),
      bias: randomArray(9, 4 * H),
    };
    const outputs = [native, javascript].map((kernels) => {
      const hOut = new Float32Array(B * H);
      const cOut = new Float32Array(B * H);
      kernels.lstmStep({ ...call, hOut, cOut });
      const y = new Float32Array(B * 7);
      kernels.dense({ m: B, n: 7, k: H, x: hOut, w: randomArray(10, H * 7), bias: randomArray(11, 7), y });
      return { hOut, cOut, y };
    });
    expectClose(outputs[0]!.hOut, outputs[1]!.hOut, 1e-5, 'h');
    expectClose(outputs[0]!.cOut, outputs[1]!.cOut, 1e-5, 'c');
    expectClose(outputs[0]!.y, outputs[1]!.y, 1e-5, 'dense');
  });

  async function lossCurve(prefer: EnginePath, make: (tf: Tf, ops: Parameters<typeof createLstmTask>[1]) => NeuralTask, steps: number): Promise<number[]> {
    const engine = await createEngine({ prefer });
    expect(engine.path).toBe(prefer);
    const task = make(engine.tf, engine.ops);
    const losses: number[] = [];
    const batches = Math.floor(task.trainExamples / task.batchSize);
    for (let step = 0; step < steps; step++) {
      const b = step % batches;
      losses.push(task.trainBatch(Int32Array.from({ length: task.batchSize }, (_, k) => b * task.batchSize + k), 1, step).loss);
    }
    task.dispose();
    return losses;
  }

  it('the studio LSTM (embedding, velocity, two layers, dropout, augmentation) gives the same loss curve on the native and wasm paths', async () => {
    const settings = LstmSettingsSchema.parse({ windowLength: 10, units: [24, 16], pitchEmbedding: 6, batchSize: 16, dropout: 0.2, transpose: 3, timeStretch: 0.1, seed: 4 });
    const train = noteStepSet(melodies(2, 3, 80));
    const make = (tf: Tf, ops: Parameters<typeof createLstmTask>[1]) => createLstmTask(tf, ops, settings, train, null);
    const native = await lossCurve('native', make, 15);
    const fallback = await lossCurve('wasm', make, 15);
    expect(native.at(-1)!).toBeLessThan(native[0]!);
    native.forEach((loss, step) => expect(Math.abs(loss - fallback[step]!), `step ${step}: native ${loss}, wasm ${fallback[step]}`).toBeLessThan(2e-3 * Math.max(1, loss)));
  });

  it('the transformer gives the same loss curve on the native and wasm paths', async () => {
    const settings = TransformerSettingsSchema.parse({ contextLength: 16, layers: 2, heads: 2, modelSize: 16, feedForwardSize: 32, batchSize: 4, dropout: 0.1, learningRate: 0.003, seed: 2 });
    const train = tokenSequenceSet(melodies(3, 3, 60).map((piece) => piece.flatMap((note) => [note.pitch, 256 + Math.round(note.step * 8), 128 + note.pitch])));
    const make = (tf: Tf, ops: Parameters<typeof createLstmTask>[1]) => createTransformerTask(tf, ops, settings, train, null);
    const native = await lossCurve('native', make, 12);
    const fallback = await lossCurve('wasm', make, 12);
    expect(native.at(-1)!).toBeLessThan(native[0]!);
    native.forEach((loss, step) => expect(Math.abs(loss - fallback[step]!), `step ${step}: native ${loss}, wasm ${fallback[step]}`).toBeLessThan(2e-3 * Math.max(1, loss)));
  });
});

describe('the models table for the neural families', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migration 5 rebuilds it, keeping every model, clip link and the id counter; then it takes LSTMs and transformers', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'old.sqlite');
    // A database as the HMM-only studio left it: migrations 1 to 4.
    const binding = resolveNativeBinding();
    const old = new Database(file, binding ? { nativeBinding: binding } : {});
    for (const migration of migrations.slice(0, 4)) old.exec(migration);
    old.pragma('user_version = 4');
    old.pragma('foreign_keys = ON');
    const db = old;
    // As the HMM-only schema left it (ModelStore not yet opened): two models, the newest deleted.
    const corpusId = Number(db.prepare(`INSERT INTO corpora (name) VALUES ('C')`).run().lastInsertRowid);
    const insert = db.prepare(`INSERT INTO models (name, family, corpus_id, representation, status, settings, engine) VALUES (?, 'hmm', ?, 'pitch', 'trained', ?, 'native')`);
    const settings = JSON.stringify({ representation: 'pitch', states: 4, maxIterations: 3, tolerance: 1e-4, init: 'kmeans', seed: 1, resolution: 4 });
    const kept = Number(insert.run('Kept', corpusId, settings).lastInsertRowid);
    const deleted = Number(insert.run('Deleted', corpusId, settings).lastInsertRowid);
    db.prepare(`INSERT INTO clips (name, model_id, music, track_count, note_count, duration_seconds) VALUES ('clip', ?, '{}', 1, 0, 0)`).run(kept);
    db.prepare(`DELETE FROM models WHERE id = ?`).run(deleted);
    expect(() => db.prepare(`INSERT INTO models (name, family, corpus_id, representation, status, settings) VALUES ('x', 'lstm', ?, 'note-steps', 'training', '{}')`).run(corpusId)).toThrow(/CHECK/);
    db.close();

    const migrated = openDatabase(file);
    expect(schemaVersion(migrated)).toBe(migrations.length);
    expect(migrated.prepare(`SELECT model_id FROM clips`).get()).toEqual({ model_id: kept });
    expect(migrated.pragma('integrity_check', { simple: true })).toBe('ok');
    const store = new ModelStore(migrated);
    expect(store.get(kept)).toMatchObject({ name: 'Kept', family: 'hmm', engine: 'native', engineReason: null, settings: { states: 4 } });
    const lstm = store.create({ name: 'LSTM', corpusId, settings: LstmSettingsSchema.parse({}) });
    expect(lstm).toBe(deleted + 1);
    expect(store.get(lstm)).toMatchObject({ family: 'lstm', representation: 'note-steps', settings: { family: 'lstm', windowLength: 25 } });
    const transformer = store.create({ name: 'T', corpusId, settings: TransformerSettingsSchema.parse({}) });
    expect(store.get(transformer)).toMatchObject({ family: 'transformer', representation: 'event' });
    expect(store.saveCheckpoint(lstm, { iteration: 1, points: [{ iteration: 1, logLikelihoodPerToken: -2, trainLoss: 1, validLoss: 1.5 }], seconds: 0.5, state: { w: 1 }, engine: 'wasm', trainTokens: 10, engineReason: 'because', validLogLikelihoodPerToken: -2.5 })).toBe(true);
    expect(store.get(lstm)).toMatchObject({ engine: 'wasm', engineReason: 'because', validLogLikelihoodPerToken: -2.5, iterations: 1, history: [{ iteration: 1, trainLoss: 1, validLoss: 1.5 }] });
    // The clip still follows its model: deleting the model unlinks it (ON DELETE SET NULL).
    store.delete(kept);
    expect(migrated.prepare(`SELECT model_id FROM clips`).get()).toEqual({ model_id: null });
    expect(migrated.pragma('foreign_keys', { simple: true })).toBe(1);
    migrated.close();
  });
});
