/**
 * The MusicVAE and RL tuner families (#6) in real Chromium against the real browser-mode server: a
 * corpus of 4/4 melodies is imported; a tiny 2-bar MusicVAE is trained from the Train dialog and
 * shows its bound and reconstruction-accuracy charts, samples clips from its prior and interpolates
 * between two clips (one clip of steps × 2 bars); then a tiny LSTM is trained, an RL tuner is trained
 * from it (reward and discriminator-accuracy charts) and generates a clip. Screenshots land in test/.tmp.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioApi } from '../../core/ipc/client';
import { projectRoot } from '../support/paths';
import { connectStudio } from './midi-fake-access';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

if (!hasChromium) console.warn(CHROMIUM_MISSING);

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 150_000;
const BARS_PER_PIECE = 12;
/** C major from C4, the melodies' pitches. */
const SCALE = [60, 62, 64, 65, 67, 69, 71, 72, 74, 76];
const INTERPOLATION_STEPS = 3;

async function waitForJob(api: StudioApi, jobId: number, timeoutMs = JOB_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api.jobs.get({ jobId });
    if (job.status === 'done') return;
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`Job ${jobId} ${job.status}: ${job.error ?? job.message}`);
    if (Date.now() > deadline) throw new Error(`Job ${jobId} took over ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A 4/4 melody of eighth notes at 120 bpm, walking the scale up and down from a seed-chosen degree. */
function melody(seed: number): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(120);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  const eighth = midi.header.ppq / 2;
  const track = midi.addTrack();
  track.name = 'Melody';
  let degree = seed % 4;
  let direction = 1;
  for (let step = 0; step < BARS_PER_PIECE * 8; step++) {
    // The velocity keeps every file distinct (the import skips duplicates).
    track.addNote({ midi: SCALE[degree]!, ticks: step * eighth, durationTicks: eighth, velocity: 0.5 + seed * 0.03 });
    if (degree + direction < 0 || degree + direction >= SCALE.length) direction = -direction;
    degree += direction;
  }
  return midi.toArray();
}

describe.skipIf(!hasChromium)('VAE and RL models: train a MusicVAE and an RL tuner, see their charts, sample, interpolate, generate (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let client: { studio: StudioApi; close(): void };
  let api: StudioApi;
  let browser: BrowserSession;
  let page: Page;
  let corpusId = 0;
  const clipNames = ['Melody A', 'Melody B'];

  beforeAll(async () => {
    studio = await startStudioProcess();
    client = connectStudio(studio.url);
    api = client.studio;
    const files = Array.from({ length: 8 }, (_, index) => ({
      relativePath: `melodies/${index < 6 ? 'train' : 'valid'}/melody-${index}.mid`,
      base64: Buffer.from(melody(index + 1)).toString('base64'),
    }));
    const { jobId } = await api.corpora.importFiles({ corpusName: 'Melodies', files });
    await waitForJob(api, jobId);
    corpusId = (await api.corpora.list()).find((corpus) => corpus.name === 'Melodies')!.id;
    const pieces = await api.corpora.pieces({ corpusId });
    expect(pieces.length).toBe(8);
    // Two clips to interpolate between, made before the page loads so the Interpolate panel lists them.
    for (const [index, name] of clipNames.entries()) await api.clips.create({ from: { pieceId: pieces[index]!.id }, name });

    browser = await openBrowser();
    page = browser.page;
    await page.goto(studio.url);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await studio?.stop();
  });

  const detail = (): Locator => page.getByTestId('model-detail');
  const modelClips = (): Locator => page.getByTestId('clips-panel').getByTestId('clip-row');

  async function openTrainDialog(family: string): Promise<Locator> {
    await page.getByTestId('models-nav').click();
    await page.getByTestId('train-open').click();
    const dialog = page.getByTestId('train-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByTestId('train-corpus').selectOption(String(corpusId));
    await dialog.getByTestId('train-family').locator(`[data-value="${family}"]`).click();
    return dialog;
  }

  /** Starts training from the dialog and waits until the new model is trained; returns its id. */
  async function trainFromDialog(dialog: Locator, family: string, iterations: number): Promise<number> {
    expect(await dialog.getByRole('alert').allTextContents()).toEqual([]);
    const before = await page.getByTestId('model-row').count();
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(before + 1);
    const modelId = (await detail().getAttribute('data-model-id'))!;
    const row = page.locator(`[data-testid="model-row"][data-model-id="${modelId}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('trained');
    const summary = await api.models.get({ modelId: Number(modelId) });
    expect(summary.family).toBe(family);
    expect(Number(await detail().getByTestId('model-iterations').getAttribute('data-value'))).toBe(iterations);
    return Number(modelId);
  }

  async function chartPoints(id: string): Promise<number> {
    return Number(await detail().getByTestId(`metric-chart-${id}`).getAttribute('data-points'));
  }

  async function chartLast(id: string): Promise<(number | null)[]> {
    return JSON.parse((await detail().getByTestId(`metric-chart-${id}`).getAttribute('data-last')) ?? '[]') as (number | null)[];
  }

  it('trains a tiny 2-bar MusicVAE: bound and accuracy charts, samples from the prior, interpolates between two clips', async () => {
    const dialog = await openTrainDialog('vae');
    const set = async (key: string, value: string) => dialog.getByTestId(`train-vae-${key}`).fill(value);
    expect(await dialog.getByTestId('train-vae-bars').inputValue()).toBe('2');
    expect(await dialog.getByTestId('train-vae-hierarchical').locator('[aria-checked="true"]').getAttribute('data-value')).toBe('hierarchical');
    await set('latentSize', '4');
    await set('encoderUnits', '8');
    await set('conductorUnits', '8');
    await set('decoderUnits', '8');
    await set('epochs', '3');
    await set('batchSize', '8');
    await set('learningRate', '0.01');
    await set('patience', '0');
    await set('seed', '3');
    const vaeId = await trainFromDialog(dialog, 'vae', 3);

    // The bound per token and the reconstruction accuracy, one point per epoch.
    await expect.poll(() => chartPoints('bound')).toBe(3);
    await expect.poll(() => chartPoints('accuracy')).toBe(3);
    const [trainBound, heldOutBound] = await chartLast('bound');
    expect(trainBound).toBeGreaterThan(0);
    expect(heldOutBound).toBeGreaterThan(0);
    const [trainAccuracy] = await chartLast('accuracy');
    expect(trainAccuracy).toBeGreaterThanOrEqual(0);
    expect(trainAccuracy).toBeLessThanOrEqual(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'vae-model.png') });

    // Sampling: no length field (each sample is the segment), two new clips.
    const panel = page.getByTestId('generate-panel');
    expect(await panel.getAttribute('data-mode')).toBe('sample');
    expect(await panel.getByTestId('generate-length').count()).toBe(0);
    expect(await panel.getByTestId('generate-vae-length').textContent()).toContain('2 bars of 4/4 (32 steps)');
    await panel.getByTestId('generate-count').fill('2');
    await panel.getByTestId('generate-seed').fill('5');
    await panel.getByTestId('generate-start').click();
    await expect.poll(() => panel.getByTestId('generate-status').textContent(), { timeout: JOB_TIMEOUT_MS }).toBe('Made 2 clips.');
    await expect.poll(() => modelClips().count(), { timeout: 10_000 }).toBe(2);
    const sampled = (await api.clips.list()).filter((clip) => clip.modelId === vaeId);
    expect(sampled).toHaveLength(2);

    // Interpolation between the two corpus clips: one clip of steps × 2 bars.
    const interpolate = detail().getByTestId('vae-interpolate');
    const optionOf = async (select: Locator, name: string) => (await select.locator('option', { hasText: name }).getAttribute('value'))!;
    await interpolate.getByTestId('vae-from-clip').selectOption(await optionOf(interpolate.getByTestId('vae-from-clip'), clipNames[0]!));
    await interpolate.getByTestId('vae-to-clip').selectOption(await optionOf(interpolate.getByTestId('vae-to-clip'), clipNames[1]!));
    await interpolate.getByTestId('vae-from-bar').fill('1');
    await interpolate.getByTestId('vae-to-bar').fill('3');
    await interpolate.getByTestId('vae-steps').fill(String(INTERPOLATION_STEPS));
    await interpolate.getByTestId('vae-seed').fill('9');
    await interpolate.getByTestId('vae-method').locator('[data-value="slerp"]').click();
    expect(await interpolate.getByRole('alert').count()).toBe(0);
    expect(await interpolate.getByTestId('vae-interpolate-summary').textContent()).toContain(`${INTERPOLATION_STEPS} steps × 2 bars = ${INTERPOLATION_STEPS * 2} bars`);
    const clipsBefore = (await api.clips.list()).length;
    await interpolate.getByTestId('vae-interpolate-start').click();
    await expect.poll(async () => (await api.clips.list()).length, { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe(clipsBefore + 1);
    const made = (await api.clips.list()).find((clip) => clip.name.includes('→'))!;
    expect(made.name).toBe(`${clipNames[0]} → ${clipNames[1]} (slerp, ${INTERPOLATION_STEPS} steps)`);
    await expect.poll(() => interpolate.getByTestId('polyphonic-run').first().getAttribute('data-state'), { timeout: 30_000 }).not.toBe('running');
    const clip = await api.clips.get({ clipId: made.id });
    const segmentTicks = 2 * 4 * clip.ppq;
    const notes = clip.tracks.flatMap((track) => track.notes);
    expect(notes.length).toBeGreaterThan(0);
    // Every note within steps × 2 bars, and the last step's segment has notes (the span reaches it).
    const end = Math.max(...notes.map((note) => note.ticks + note.durationTicks));
    expect(end).toBeLessThanOrEqual(INTERPOLATION_STEPS * segmentTicks);
    expect(end).toBeGreaterThan((INTERPOLATION_STEPS - 1) * segmentTicks);
    expect(clip.durationTicks).toBe(end);
    expect(clip.timeSignatures[0]).toMatchObject({ numerator: 4, denominator: 4 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'vae-interpolated.png') });
    expect(browser.problems).toEqual([]);
  });

  it('trains a tiny LSTM, tunes it with RL (reward and discriminator charts) and generates from the tuned policy', async () => {
    const lstmDialog = await openTrainDialog('lstm');
    await lstmDialog.getByTestId('train-units').fill('16');
    await lstmDialog.getByTestId('train-window').fill('8');
    await lstmDialog.getByTestId('train-embedding').fill('8');
    await lstmDialog.getByTestId('train-epochs').fill('2');
    await lstmDialog.getByTestId('train-batch').fill('16');
    await lstmDialog.getByTestId('train-learning-rate').fill('0.01');
    await lstmDialog.getByTestId('train-patience').fill('0');
    await lstmDialog.getByTestId('train-name').fill('Tiny LSTM');
    const lstmId = await trainFromDialog(lstmDialog, 'lstm', 2);

    const dialog = await openTrainDialog('rl');
    const start = dialog.getByTestId('train-rl-start');
    await start.selectOption(String(lstmId));
    expect(await start.inputValue()).toBe(String(lstmId));
    const set = async (key: string, value: string) => dialog.getByTestId(`train-rl-${key}`).fill(value);
    await set('episodeLength', '8');
    await set('primerLength', '4');
    await set('batchSize', '4');
    await set('iterations', '4');
    await set('learningRate', '0.01');
    await set('discriminatorWindow', '8');
    await set('discriminatorFilters', '4');
    await set('discriminatorWarmup', '2');
    await set('seed', '4');
    await dialog.getByTestId('train-name').fill('Tuned LSTM');
    const rlId = await trainFromDialog(dialog, 'rl', 4);
    const summary = await api.models.get({ modelId: rlId });
    expect(summary.settings).toMatchObject({ family: 'rl', startModelId: lstmId, episodeLength: 8, maxIterations: 4 });

    // The mean reward and the discriminator's accuracy, one point per iteration.
    await expect.poll(() => chartPoints('reward')).toBe(4);
    await expect.poll(() => chartPoints('discriminator')).toBe(4);
    const [reward] = await chartLast('reward');
    expect(Number.isFinite(reward)).toBe(true);
    const [real, fake] = await chartLast('discriminator');
    for (const accuracy of [real, fake]) {
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rl-model.png') });

    // Generating from the tuned policy, as from an LSTM.
    const panel = page.getByTestId('generate-panel');
    expect(await panel.getAttribute('data-mode')).toBe('generate');
    await panel.getByTestId('generate-count').fill('1');
    await panel.getByTestId('generate-length').fill('16');
    await panel.getByTestId('generate-length-unit').locator('[data-value="steps"]').click();
    await panel.getByTestId('generate-seed').fill('7');
    await panel.getByTestId('generate-start').click();
    await expect.poll(() => panel.getByTestId('generate-status').textContent(), { timeout: JOB_TIMEOUT_MS }).toBe('Made 1 clip.');
    await expect.poll(() => modelClips().count(), { timeout: 10_000 }).toBe(1);
    expect(await modelClips().locator('.clip-name').allTextContents()).toEqual(['Tuned LSTM · sample 1']);
    const clip = (await api.clips.list()).find((item) => item.modelId === rlId)!;
    expect(clip.noteCount).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'rl-generated.png') });
    expect(browser.problems).toEqual([]);
  });
});
