/**
 * The neural families in the Models view, in real Chromium against the real browser-mode server:
 * train a tiny LSTM on a corpus of repeating scales from the Train dialog, watch its loss curve (train
 * and validation per epoch), its engine path and why, then generate a clip greedily and see it
 * continue the scale. Screenshots land in test/.tmp for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMidi } from '../../core/midi/parse-midi';
import { projectRoot, tempDir } from '../support/paths';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 120_000;
const SCALE = [60, 62, 64, 65, 67, 69, 71, 72];

if (!hasChromium) console.warn(CHROMIUM_MISSING);

/** The scale from `offset`, eighth notes at 120 bpm; `velocity` 0..1 keeps train and valid files distinct. */
function writeScale(file: string, offset: number, notes: number, velocity: number): void {
  const midi = new Midi();
  midi.header.setTempo(120);
  const track = midi.addTrack();
  track.name = 'Scale';
  for (let k = 0; k < notes; k++) track.addNote({ midi: SCALE[(offset + k) % SCALE.length]!, time: k * 0.25, duration: 0.2, velocity });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, midi.toArray());
}

describe.skipIf(!hasChromium)('neural models: train a tiny LSTM, see its loss curve and engine, generate (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;
  let modelId = '';

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-neural-');
    for (let index = 0; index < 6; index++) writeScale(path.join(fixtures, 'scales', 'train', `t${index}.mid`), index, 64, 0.8);
    for (let index = 0; index < 2; index++) writeScale(path.join(fixtures, 'scales', 'valid', `v${index}.mid`), 3 + index, 64, 0.9);
    studio = await startStudioProcess();
    browser = await openBrowser();
    page = browser.page;
    await page.goto(studio.url);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    if (fixtures) fs.rmSync(fixtures, { recursive: true, force: true });
  });

  const detail = (): Locator => page.getByTestId('model-detail');
  const detailStatus = (): Promise<string | null> => detail().getByTestId('model-status').getAttribute('data-status');

  it('imports a corpus of scales with train/ and valid/ folders', async () => {
    await page.getByTestId('library-nav').click();
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(path.join(fixtures, 'scales'));
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill('Scales');
    await dialog.getByTestId('import-button').click();
    await expect.poll(() => dialog.count(), { timeout: 60_000 }).toBe(0);
    const job = page.getByTestId('job-row').filter({ hasText: 'Import into “Scales”' }).first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
  });

  it('checks the LSTM settings as they are typed, then trains from the Train dialog: loss curve, figures, engine and why', async () => {
    await page.getByTestId('models-nav').click();
    await page.getByTestId('train-open').click();
    const dialog = page.getByTestId('train-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const select = dialog.getByTestId('train-corpus');
    await select.selectOption((await select.locator('option', { hasText: 'Scales' }).getAttribute('value'))!);
    expect(await dialog.getByTestId('train-family').locator('[data-value]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-value')))).toEqual([
      'hmm',
      'lstm',
      'transformer',
      'polyphonic',
      'vae',
      'rl',
    ]);
    await dialog.getByTestId('train-family').locator('[data-value="lstm"]').click();
    // The HMM's fields make way for the LSTM's, with the contract's defaults.
    expect(await dialog.getByTestId('train-states').count()).toBe(0);
    expect(await dialog.getByTestId('train-window').inputValue()).toBe('25');
    expect(await dialog.getByTestId('train-units').inputValue()).toBe('128');
    await dialog.getByTestId('train-units').fill('32, 0');
    await expect.poll(() => dialog.getByRole('alert').allTextContents()).toContain('Layer 2 has 0 units: every LSTM layer needs at least one.');
    await dialog.getByTestId('train-learning-rate').fill('NaN');
    await expect.poll(() => dialog.getByRole('alert').allTextContents()).toContain('The learning rate is a number such as 0.005.');

    await dialog.getByTestId('train-units').fill('32');
    await dialog.getByTestId('train-window').fill('8');
    await dialog.getByTestId('train-embedding').fill('8');
    await dialog.getByTestId('train-loss-pitch').fill('1');
    await dialog.getByTestId('train-epochs').fill('15');
    await dialog.getByTestId('train-batch').fill('16');
    await dialog.getByTestId('train-learning-rate').fill('0.01');
    await dialog.getByTestId('train-schedule').locator('[data-value="constant"]').click();
    await dialog.getByTestId('train-patience').fill('0');
    expect(await dialog.getByTestId('train-name').getAttribute('placeholder')).toBe('LSTM 32 · window 8');
    // Main refuses a window longer than every piece (64 notes); the dialog says why and stays open.
    await dialog.getByTestId('train-window').fill('64');
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.getByTestId('train-error').textContent()).toContain('A window of 64 notes is longer than any piece');
    await dialog.getByTestId('train-window').fill('8');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'neural-train-dialog.png') });

    const before = await page.getByTestId('model-row').count();
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(before + 1);
    modelId = (await detail().getAttribute('data-model-id'))!;
    const row = page.locator(`[data-testid="model-row"][data-model-id="${modelId}"]`);
    expect(await row.locator('.corpus-row-name').textContent()).toBe('LSTM 32 · window 8');
    expect(await row.locator('.kind-family').textContent()).toBe('LSTM');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 200 }).toBe('trained');
    expect(await detailStatus()).toBe('trained');
    expect(Number(await detail().getByTestId('model-iterations').getAttribute('data-value'))).toBe(15);

    // The loss curve: a point per epoch, train and validation, drawn on a real canvas.
    const card = page.locator('.curve-card');
    await expect.poll(() => card.getAttribute('data-points')).toBe('15');
    expect(await card.getAttribute('data-kind')).toBe('loss');
    expect(await card.locator('.plot-title').textContent()).toBe('Loss per epoch');
    expect(await card.locator('.curve-legend').textContent()).toContain('validation');
    const canvas = await page
      .getByTestId('training-curve')
      .locator('canvas')
      .first()
      .evaluate((element) => (element as unknown as { width: number }).width);
    expect(canvas).toBeGreaterThan(300);
    const validLoss = Number(await detail().getByTestId('model-valid-loss').getAttribute('data-value'));
    expect(validLoss).toBeLessThan(0.2);
    const heldOut = Number(await detail().getByTestId('model-valid-ll').getAttribute('data-value'));
    expect(heldOut).toBeLessThan(0);
    expect(heldOut).toBeGreaterThan(-0.2);
    // The engine path, and the engine's own reason beside it.
    const engine = detail().getByTestId('model-engine');
    expect((await engine.textContent())!.trim()).toMatch(/^(Native \(C\+\+\)|WebAssembly|CPU)$/);
    const reason = (await engine.locator('xpath=..').locator('.metric-detail').textContent()) ?? '';
    expect(reason).toMatch(/kernels|wasm backend|cpu backend/);
    const job = page.getByTestId('job-row').filter({ hasText: 'Train “LSTM 32 · window 8”' }).first();
    expect(await job.getByTestId('train-result').textContent()).toContain('15 iterations');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'neural-model.png') });
  });

  it('generates a clip greedily that continues the scale, and offers top-k, top-p and a primer', async () => {
    const panel = page.getByTestId('generate-panel');
    expect(await panel.getByTestId('generate-advanced').count()).toBe(0);
    expect(await panel.getByTestId('generate-primer').locator('option').first().textContent()).toContain('train piece');
    await panel.getByTestId('generate-top-k').fill('0');
    await expect.poll(() => panel.getByRole('alert').allTextContents()).toContain('Top-k is a whole number from 1 to 1,024 (empty: off).');
    await panel.getByTestId('generate-top-k').fill('');
    await panel.getByTestId('generate-count').fill('1');
    await panel.getByTestId('generate-length').fill('16');
    await panel.getByTestId('generate-length-unit').locator('[data-value="steps"]').click();
    await panel.getByTestId('generate-temperature').fill('0');
    await panel.getByTestId('generate-seed').fill('7');
    await panel.getByTestId('generate-start').click();
    const clips = page.getByTestId('clips-panel').getByTestId('clip-row');
    await expect.poll(() => clips.count(), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe(1);
    await expect.poll(() => panel.getByTestId('generate-status').textContent(), { timeout: JOB_TIMEOUT_MS }).toBe('Made 1 clip.');
    expect(await clips.locator('.clip-name').allTextContents()).toEqual(['LSTM 32 · window 8 · sample 1']);

    // Its notes, downloaded as MIDI: each the scale's next pitch after the one before.
    const selected = page.locator('[data-testid="clip-row"][aria-selected="true"]');
    const [download] = await Promise.all([page.waitForEvent('download'), selected.getByTestId('clip-export').click()]);
    const saved = path.join(fixtures, 'generated.mid');
    await download.saveAs(saved);
    const notes = parseMidi(new Uint8Array(fs.readFileSync(saved)), 'generated').tracks.flatMap((track) => track.notes);
    expect(notes).toHaveLength(16);
    for (let k = 1; k < notes.length; k++) expect(notes[k]!.pitch).toBe(SCALE[(SCALE.indexOf(notes[k - 1]!.pitch) + 1) % SCALE.length]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'neural-generated.png') });
    expect(browser.problems).toEqual([]);
  });
});
