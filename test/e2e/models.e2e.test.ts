/**
 * The Models view in real Chromium against the real browser-mode server: train an HMM on a corpus
 * with train/ and valid/ folders and watch its live curve, status, held-out score and engine; stop a
 * long run, resume it and see the iterations grow; generate clips, see them drawn in the preview and
 * download one as a .mid that parses back. Screenshots land in test/.tmp for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMidi } from '../../core/midi/parse-midi';
import { projectRoot, tempDir } from '../support/paths';
import { writeMidiFile } from '../support/midi-fixtures';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';
import { BASS_RANGE, MELODY_RANGE, writeRandomTune } from './support/tunes';

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 120_000;
const TRAIN_FILES = 12;
const VALID_FILES = 3;
/** Melody notes per tune: enough for a 64-state event HMM to take a while per iteration. */
const NOTES_PER_TUNE = 120;

if (!hasChromium) console.warn(CHROMIUM_MISSING);

describe.skipIf(!hasChromium)('models: train, stop, resume, generate, preview and export (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;
  /** The first model (pitch, 8 states, 15 iterations) and the long run. */
  let firstModelId = '';
  let longModelId = '';

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-models-');
    const set = path.join(fixtures, 'tunes');
    // Random two-voice tunes (a rising scale, as midi-fixtures writes, is learned in a few iterations
    // and would leave nothing to stop); the train-less corpus uses the plain fixture.
    for (let index = 0; index < TRAIN_FILES; index++) writeRandomTune(path.join(set, 'train', `t${String(index).padStart(2, '0')}.mid`), index, NOTES_PER_TUNE);
    for (let index = 0; index < VALID_FILES; index++) writeRandomTune(path.join(set, 'valid', `v${index}.mid`), 100 + index, NOTES_PER_TUNE);
    writeMidiFile(path.join(fixtures, 'held', 'valid', 'only.mid'), 7, 8);
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

  async function importFolder(folder: string, corpusName: string): Promise<void> {
    await page.getByTestId('library-nav').click();
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(folder);
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill(corpusName);
    await dialog.getByTestId('import-button').click();
    await expect.poll(() => dialog.count(), { timeout: 60_000 }).toBe(0);
    const job = page.getByTestId('job-row').filter({ hasText: `Import into “${corpusName}”` }).first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
  }

  function modelRow(modelId: string): Locator {
    return page.locator(`[data-testid="model-row"][data-model-id="${modelId}"]`);
  }

  const detail = (): Locator => page.getByTestId('model-detail');
  const figure = async (testId: string): Promise<string> => ((await detail().getByTestId(testId).textContent()) ?? '').trim();
  const iterations = async (): Promise<number> => Number(await detail().getByTestId('model-iterations').getAttribute('data-value'));
  const detailStatus = (): Promise<string | null> => detail().getByTestId('model-status').getAttribute('data-status');

  async function openTrainDialog(): Promise<Locator> {
    await page.getByTestId('models-nav').click();
    await page.getByTestId('train-open').click();
    const dialog = page.getByTestId('train-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    return dialog;
  }

  async function chooseCorpus(dialog: Locator, name: string): Promise<void> {
    const select = dialog.getByTestId('train-corpus');
    const value = await select.locator('option', { hasText: name }).getAttribute('value');
    await select.selectOption(value!);
  }

  /** Starts training from the open dialog and returns the new model's id (it is selected). */
  async function startTraining(dialog: Locator): Promise<string> {
    const before = await page.getByTestId('model-row').count();
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(before + 1);
    const id = await detail().getAttribute('data-model-id');
    expect(id).toBeTruthy();
    return id!;
  }

  async function dismissNotices(): Promise<void> {
    const dismiss = page.getByTestId('notice').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
  }

  it('imports a corpus with train/ and valid/ folders, and one with no train split', async () => {
    await importFolder(path.join(fixtures, 'tunes'), 'Tunes');
    await importFolder(path.join(fixtures, 'held'), 'Valid only');
    await page.getByTestId('models-nav').click();
    expect(await page.getByTestId('models-nav').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.locator('.sidebar-empty').textContent()).toContain('No models yet');
    expect(await page.locator('.models-empty').textContent()).toContain('Train a first model');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-empty.png') });
  });

  it('checks the train form as it is typed, and shows the server’s refusal in the dialog', async () => {
    // "Train model…" from the library opens the Models view's dialog on that corpus.
    await page.getByTestId('library-nav').click();
    await page.getByTestId('corpus-row').filter({ hasText: 'Tunes' }).click();
    await page.getByTestId('corpus-train').click();
    const dialog = page.getByTestId('train-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.getByTestId('models-nav').getAttribute('aria-current')).toBe('page');
    const selectedCorpus = await dialog.getByTestId('train-corpus').evaluate((select) => (select as unknown as { selectedOptions: { text: string }[] }).selectedOptions[0]!.text);
    expect(selectedCorpus).toMatch(/^Tunes — /);
    // The counts come from corpora.splits.
    await expect.poll(() => dialog.locator('.split-hint').textContent()).toContain(`train ${TRAIN_FILES}valid ${VALID_FILES}`);
    expect(await dialog.getByTestId('train-states').inputValue()).toBe('16');
    expect(await dialog.getByTestId('train-iterations').inputValue()).toBe('100');
    expect(await dialog.getByTestId('train-tolerance').inputValue()).toBe('1e-4');
    expect(await dialog.getByTestId('train-init').locator('[aria-checked="true"]').getAttribute('data-value')).toBe('kmeans');
    // No uniform start, and unigram disappears for the note representation (and so does the resolution).
    expect(await dialog.getByTestId('train-init').locator('[data-value]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-value')))).toEqual([
      'kmeans',
      'random',
      'unigram',
    ]);
    expect(await dialog.getByTestId('train-init-tip').getAttribute('title')).toMatch(/fixed point of Baum-Welch/);
    await dialog.getByTestId('train-representation').locator('[data-value="note"]').click();
    expect(await dialog.getByTestId('train-init').locator('[data-value="unigram"]').count()).toBe(0);
    expect(await dialog.getByTestId('train-resolution').count()).toBe(0);
    await dialog.getByTestId('train-representation').locator('[data-value="pitch"]').click();
    expect(await dialog.getByTestId('train-resolution').inputValue()).toBe('4');

    await dialog.getByTestId('train-states').fill('0');
    await expect.poll(() => dialog.getByRole('alert').allTextContents()).toContain('The number of states is a whole number from 1 to 512.');
    await dialog.getByTestId('train-tolerance').fill('0');
    await expect.poll(() => dialog.getByRole('alert').allTextContents()).toContain('The tolerance must be above 0 (training would never stop early).');
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.getByTestId('train-error').textContent()).toContain('Fix the highlighted fields first');
    await dialog.getByTestId('train-states').fill('8');
    await dialog.getByTestId('train-tolerance').fill('1e-4');

    // Main refuses a corpus whose train split is empty; the dialog says why and stays open.
    await chooseCorpus(dialog, 'Valid only');
    await expect.poll(() => dialog.locator('.split-hint').textContent()).toContain('No pieces in the train split');
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.getByTestId('train-error').textContent()).toContain('has no pieces in its train split');
    expect(await dialog.isVisible()).toBe(true);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-train-dialog.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('trains a pitch HMM: live curve, trained status, held-out score and engine', async () => {
    const dialog = await openTrainDialog();
    await chooseCorpus(dialog, 'Tunes');
    await dialog.getByTestId('train-representation').locator('[data-value="pitch"]').click();
    await dialog.getByTestId('train-states').fill('8');
    await dialog.getByTestId('train-iterations').fill('15');
    // A tolerance that does not stop it early: all 15 iterations run.
    await dialog.getByTestId('train-tolerance').fill('1e-12');
    firstModelId = await startTraining(dialog);

    expect(await modelRow(firstModelId).locator('.corpus-row-name').textContent()).toBe('HMM 8 states · pitch');
    await expect.poll(() => modelRow(firstModelId).getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 200 }).toBe('trained');
    expect(await detailStatus()).toBe('trained');
    expect(await modelRow(firstModelId).getByTestId('model-status').textContent()).toBe('Trained');
    expect(await iterations()).toBe(15);

    // The curve has a point per iteration and draws on a real canvas.
    const card = page.locator('.curve-card');
    await expect.poll(() => card.getAttribute('data-points')).toBe('15');
    const canvas = await page
      .getByTestId('training-curve')
      .locator('canvas')
      .first()
      .evaluate((element) => {
        const { width, height } = element as unknown as { width: number; height: number };
        return { width, height };
      });
    expect(canvas.width).toBeGreaterThan(300);
    expect(canvas.height).toBeGreaterThan(150);

    const valid = Number(await detail().getByTestId('model-valid-ll').getAttribute('data-value'));
    expect(Number.isFinite(valid)).toBe(true);
    expect(valid).toBeLessThan(0);
    expect(await figure('model-valid-ll')).toBe(valid.toFixed(3).replace('-', '\u2212'));
    const perplexity = Number(await detail().getByTestId('model-perplexity').getAttribute('data-value'));
    expect(perplexity).toBeCloseTo(Math.exp(-valid), 6);
    expect(await figure('model-engine')).toMatch(/^(Native \(C\+\+\)|TypeScript)$/);
    expect(Number(await detail().getByTestId('model-train-ll').getAttribute('data-value'))).toBeLessThan(0);
    // The sidebar row shows the same held-out score.
    expect(await modelRow(firstModelId).textContent()).toContain(valid.toFixed(2).replace('-', '\u2212'));
    // The training job reports what it did.
    const job = page.getByTestId('job-row').filter({ hasText: 'Train “HMM 8 states · pitch”' }).first();
    expect(await job.getByTestId('train-result').textContent()).toContain('15 iterations');
  });

  it('stops a long run (stopped), resumes it (iterations grow) and stops it again', async () => {
    const dialog = await openTrainDialog();
    await chooseCorpus(dialog, 'Tunes');
    await dialog.getByTestId('train-representation').locator('[data-value="event"]').click();
    await dialog.getByTestId('train-states').fill('64');
    await dialog.getByTestId('train-iterations').fill('5000');
    await dialog.getByTestId('train-tolerance').fill('1e-15');
    longModelId = await startTraining(dialog);

    await expect.poll(() => iterations(), { timeout: JOB_TIMEOUT_MS, interval: 200 }).toBeGreaterThanOrEqual(2);
    expect(await detailStatus()).toBe('training');
    expect(await modelRow(longModelId).locator('.mini-progress').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'models-training.png') });
    await detail().getByTestId('model-stop').click();
    await expect.poll(() => detailStatus(), { timeout: 60_000 }).toBe('stopped');
    expect(await modelRow(longModelId).getAttribute('data-status')).toBe('stopped');
    const stoppedAt = await iterations();
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect(await detail().getByTestId('model-valid-ll').textContent()).toBe('—');

    await detail().getByTestId('model-resume').click();
    await expect.poll(() => detailStatus(), { timeout: 30_000 }).toBe('training');
    await expect.poll(() => iterations(), { timeout: JOB_TIMEOUT_MS, interval: 200 }).toBeGreaterThan(stoppedAt + 1);
    await detail().getByTestId('model-stop').click();
    await expect.poll(() => detailStatus(), { timeout: 60_000 }).toBe('stopped');
    // The curve kept every iteration across the pause.
    const points = Number(await page.locator('.curve-card').getAttribute('data-points'));
    expect(points).toBe(await iterations());
  });

  it('generates 2 clips of 4 bars, draws the selected one and exports it as MIDI', async () => {
    await modelRow(firstModelId).click();
    await expect.poll(() => detail().getAttribute('data-model-id')).toBe(firstModelId);
    const panel = page.getByTestId('generate-panel');
    await panel.getByTestId('generate-count').fill('2');
    await panel.getByTestId('generate-length').fill('4');
    expect(await panel.getByTestId('generate-length-unit').locator('[aria-checked="true"]').getAttribute('data-value')).toBe('bars');
    await panel.getByTestId('generate-temperature').fill('0.8');
    await panel.getByTestId('generate-seed').fill('1234');
    expect(await panel.getByTestId('generate-start').textContent()).toContain('Generate 2 clips');
    await panel.getByTestId('generate-start').click();

    const clips = page.getByTestId('clips-panel').getByTestId('clip-row');
    await expect.poll(() => clips.count(), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe(2);
    await expect.poll(() => panel.getByTestId('generate-status').textContent(), { timeout: JOB_TIMEOUT_MS }).toBe('Made 2 clips.');
    const names = await clips.locator('.clip-name').allTextContents();
    expect(names.sort()).toEqual(['HMM 8 states · pitch · sample 1', 'HMM 8 states · pitch · sample 2']);
    expect(await page.getByTestId('generate-result').count()).toBeGreaterThanOrEqual(1);

    // The preview draws notes: many pixels differ from the roll's background.
    const preview = page.getByTestId('clip-preview');
    await expect.poll(() => preview.count(), { timeout: 30_000 }).toBe(1);
    const painted = await preview.evaluate((element) => {
      const canvas = element as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
      };
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let notePixels = 0;
      // The notes are the blue of --plot-accent (90, 169, 255) at velocity-based opacity over a near-black background.
      for (let index = 0; index < data.length; index += 4) if (data[index + 2]! > 120 && data[index + 2]! > data[index]! + 40) notePixels++;
      return { notePixels, total: data.length / 4, width: canvas.width };
    });
    expect(painted.width).toBeGreaterThan(300);
    expect(painted.notePixels).toBeGreaterThan(200);
    expect(painted.notePixels).toBeLessThan(painted.total);

    // Export the selected clip: a .mid download that parses back to its notes.
    const selected = page.locator('[data-testid="clip-row"][aria-selected="true"]');
    const noteCount = Number((await selected.locator('td.numeric').first().textContent())!.replace(/,/g, ''));
    expect(noteCount).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), selected.getByTestId('clip-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^HMM 8 states · pitch · sample [12]\.mid$/);
    const saved = path.join(fixtures, 'clip.mid');
    await download.saveAs(saved);
    const piece = parseMidi(new Uint8Array(fs.readFileSync(saved)), 'clip');
    const notes = piece.tracks.flatMap((track) => track.notes);
    expect(notes).toHaveLength(noteCount);
    // 4 bars of 4/4: every note starts before the end of bar 4.
    expect(Math.max(...notes.map((note) => note.ticks))).toBeLessThan(4 * 4 * piece.ppq);
    // A pitch HMM can only emit pitches of the tunes' top voice: the melody, or the bass where the melody rests.
    for (const note of notes) expect(note.pitch).toBeGreaterThanOrEqual(BASS_RANGE.low);
    for (const note of notes) expect(note.pitch).toBeLessThanOrEqual(MELODY_RANGE.high);
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: 'Downloaded' }).count()).toBe(1);
  });

  it('takes a screenshot of the Models view, with no console errors on the way', async () => {
    await dismissNotices();
    const jobsToggle = page.locator('.jobs-panel .panel-toggle');
    if ((await jobsToggle.getAttribute('aria-expanded')) === 'true') await jobsToggle.click();
    // The cursor over the middle of the curve, as a composer reading it would have it.
    const over = page.locator('.curve-card .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, 'models.png');
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
    expect(browser.problems).toEqual([]);
  });
});
