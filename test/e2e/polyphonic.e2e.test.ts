/**
 * The polyphonic family in real Chromium against the real browser-mode server: a corpus of four-voice
 * chorales in fixed chords (soprano on one track, the lower voices on another) is imported; a tiny
 * RNN-NADE is trained from the Train dialog (its fields checked with the schema's messages) and shows
 * its frame NLL curve; then in the editor the soprano is selected and harmonized (new clips, with
 * voices under the melody), and a loop region is infilled (new clips that keep what lies outside it).
 * Screenshots land in test/.tmp for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioApi } from '../../core/ipc/client';
import type { Clip } from '../../core/ipc/schemas';
import { projectRoot } from '../support/paths';
import { connectStudio } from './midi-fake-access';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

if (!hasChromium) console.warn(CHROMIUM_MISSING);

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 150_000;
const CLIP_NAME = 'Chorale for harmonizing';
/** Quarter-note chords: [soprano, alto, tenor, bass]. */
const CHORDS: readonly (readonly [number, number, number, number])[] = [
  [72, 67, 64, 48], // C
  [72, 69, 65, 53], // F
  [71, 67, 62, 55], // G
  [72, 69, 64, 57], // A minor
];
/** What may follow each chord (a small functional grammar, so there is something to learn). */
const NEXT: readonly (readonly number[])[] = [[1, 2, 3], [2, 0], [0, 3], [1, 2]];
const CHORDS_PER_PIECE = 16;

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

/** A chorale of quarter-note chords at 120 bpm in 4/4: the soprano on track 0, alto, tenor and bass on track 1. */
function chorale(seed: number): Uint8Array {
  let state = seed * 7919 + 1;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  const midi = new Midi();
  midi.header.setTempo(120);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  const ppq = midi.header.ppq;
  const soprano = midi.addTrack();
  soprano.name = 'Soprano';
  const lower = midi.addTrack();
  lower.name = 'Lower voices';
  lower.channel = 1;
  let chord = 0;
  for (let step = 0; step < CHORDS_PER_PIECE; step++) {
    const [s, a, t, b] = CHORDS[chord]!;
    // The velocity keeps every file distinct (the import skips duplicates) whatever the chords.
    soprano.addNote({ midi: s, ticks: step * ppq, durationTicks: ppq, velocity: 0.5 + seed * 0.03 });
    for (const pitch of [a, t, b]) lower.addNote({ midi: pitch, ticks: step * ppq, durationTicks: ppq, velocity: 0.7 });
    const options = NEXT[chord]!;
    chord = step === CHORDS_PER_PIECE - 2 ? 0 : options[next() % options.length]!;
  }
  return midi.toArray();
}

function trackNotes(clip: Clip, track: number): string[] {
  return clip.tracks[track]!.notes.map((note) => `${note.ticks}:${note.pitch}`);
}

describe.skipIf(!hasChromium)('polyphonic models: train an RNN-NADE, see its frame NLL, harmonize and infill in the editor (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let client: { studio: StudioApi; close(): void };
  let api: StudioApi;
  let browser: BrowserSession;
  let page: Page;
  let corpusId = 0;
  let clipId = 0;
  let modelId = '';
  let harmonizedIds: number[] = [];

  beforeAll(async () => {
    studio = await startStudioProcess();
    client = connectStudio(studio.url);
    api = client.studio;
    const files = Array.from({ length: 12 }, (_, index) => ({
      relativePath: `chorales/${index < 9 ? 'train' : 'valid'}/chorale-${index}.mid`,
      base64: Buffer.from(chorale(index + 1)).toString('base64'),
    }));
    const { jobId } = await api.corpora.importFiles({ corpusName: 'Chorales', files });
    await waitForJob(api, jobId);
    corpusId = (await api.corpora.list()).find((corpus) => corpus.name === 'Chorales')!.id;
    const pieces = await api.corpora.pieces({ corpusId });
    expect(pieces.length).toBe(12);
    const clip = await api.clips.create({ from: { pieceId: pieces[0]!.id }, name: CLIP_NAME });
    clipId = clip.id;

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
  const alerts = (scope: Locator) => scope.getByRole('alert').allTextContents();

  it('checks the polyphonic settings with the schema’s messages, then trains a tiny RNN-NADE: frame NLL curve and figures', async () => {
    await page.getByTestId('models-nav').click();
    await page.getByTestId('train-open').click();
    const dialog = page.getByTestId('train-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const select = dialog.getByTestId('train-corpus');
    await select.selectOption(String(corpusId));
    const family = dialog.getByTestId('train-family');
    expect(await family.locator('[data-value]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-value')))).toContain('polyphonic');
    const polyphonic = family.locator('[data-value="polyphonic"]');
    expect(await polyphonic.textContent()).toBe('Polyphonic (RNN-NADE)');
    await polyphonic.click();
    expect(await polyphonic.getAttribute('aria-checked')).toBe('true');
    // The contract's defaults: RNN-NADE, 16ths, 256 × 2.
    expect(await dialog.getByTestId('train-poly-kind').locator('[aria-checked="true"]').getAttribute('data-value')).toBe('rnn-nade');
    expect(await dialog.getByTestId('train-poly-kind').locator('[data-value="rnn-bernoulli"]').textContent()).toBe('Independent (baseline)');
    expect(await dialog.getByTestId('train-poly-resolution').locator('[aria-checked="true"]').getAttribute('data-value')).toBe('4');
    expect(await dialog.getByTestId('train-units').inputValue()).toBe('256, 256');
    expect(await dialog.getByTestId('train-nade-hidden').inputValue()).toBe('128');

    // The schema's own words for wrong values.
    await dialog.getByTestId('train-units').fill('16, 0');
    await expect.poll(() => alerts(dialog)).toContain('Every LSTM layer needs at least one unit.');
    await dialog.getByTestId('train-learning-rate').fill('2');
    await expect.poll(() => alerts(dialog)).toContain('A learning rate above 1 makes Adam diverge.');
    await dialog.getByTestId('train-epochs').fill('0');
    await expect.poll(() => alerts(dialog)).toContain('Train for at least one epoch.');
    // The baseline does not use the NADE's size.
    await dialog.getByTestId('train-poly-kind').locator('[data-value="rnn-bernoulli"]').click();
    expect(await dialog.getByTestId('train-nade-hidden').isDisabled()).toBe(true);
    await dialog.getByTestId('train-poly-kind').locator('[data-value="rnn-nade"]').click();

    await dialog.getByTestId('train-poly-resolution').locator('[data-value="1"]').click();
    await dialog.getByTestId('train-units').fill('24');
    await dialog.getByTestId('train-nade-hidden').fill('12');
    await dialog.getByTestId('train-epochs').fill('6');
    await dialog.getByTestId('train-batch').fill('3');
    await dialog.getByTestId('train-learning-rate').fill('0.01');
    await dialog.getByTestId('train-patience').fill('0');
    await dialog.getByTestId('train-dropout').fill('0');
    await dialog.getByTestId('train-input-dropout').fill('0');
    await dialog.getByTestId('train-transpose').fill('0');
    expect(await dialog.getByRole('alert').count()).toBe(0);
    expect(await dialog.getByTestId('train-name').getAttribute('placeholder')).toBe('RNN-NADE 24 · quarters');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'polyphonic-train-dialog.png') });

    const before = await page.getByTestId('model-row').count();
    await dialog.getByTestId('train-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(before + 1);
    modelId = (await detail().getAttribute('data-model-id'))!;
    const row = page.locator(`[data-testid="model-row"][data-model-id="${modelId}"]`);
    expect(await row.locator('.kind-family').textContent()).toBe('Polyphonic');
    expect(await row.locator('.kind-representation').textContent()).toBe('RNN-NADE');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('trained');
    expect(Number(await detail().getByTestId('model-iterations').getAttribute('data-value'))).toBe(6);

    // The curve: frame NLL (nats per step) per epoch, train and held-out, on a real canvas.
    const card = page.locator('.curve-card');
    await expect.poll(() => card.getAttribute('data-points')).toBe('6');
    expect(await card.getAttribute('data-kind')).toBe('frame-nll');
    expect(await card.locator('.plot-title').textContent()).toContain('Frame NLL');
    expect(await card.locator('.curve-legend').textContent()).toContain('held-out');
    expect(await page.getByTestId('training-curve').locator('canvas').count()).toBeGreaterThan(0);
    // Frame NLLs are positive nats per step; the best held-out one is at most the last.
    const train = Number(await detail().getByTestId('model-train-frame-nll').getAttribute('data-value'));
    const heldOut = Number(await detail().getByTestId('model-valid-frame-nll').getAttribute('data-value'));
    const best = Number(await detail().getByTestId('model-best-frame-nll').getAttribute('data-value'));
    expect(train).toBeGreaterThan(0);
    expect(heldOut).toBeGreaterThan(0);
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThanOrEqual(heldOut + 1e-9);
    // Four voices out of ~25 pitches from a few chords: far below the 25 × ln 2 ≈ 17.3 nats of coin flips.
    expect(best).toBeLessThan(17);
    const summary = await api.models.get({ modelId: Number(modelId) });
    expect(best).toBeCloseTo(-summary.validLogLikelihoodPerToken!, 3);
    expect(await detail().getByTestId('model-poly-kind').textContent()).toBe('RNN-NADE');
    expect((await detail().getByTestId('model-engine').textContent())!.trim()).not.toBe('—');
    expect(await detail().locator('.model-settings').textContent()).toContain('RNN-NADE (joint) · LSTM 24 · NADE 12 · quarters');

    // The Generate panel is the polyphonic continuation: a primer, no top-k or top-p.
    const panel = page.getByTestId('generate-panel');
    expect(await panel.getAttribute('data-mode')).toBe('continue');
    expect(await panel.getByTestId('generate-top-k').count()).toBe(0);
    expect(await panel.getByTestId('generate-primer').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'polyphonic-model.png') });
  });

  it('harmonizes the selected soprano in the editor: the edits saved first, new clips with voices under the melody', async () => {
    await page.getByTestId('editor-nav').click();
    await page.getByTestId('editor-open-clip').filter({ hasText: CLIP_NAME }).click();
    await page.getByTestId('editor-canvas').waitFor();
    await expect.poll(async () => Number(await page.getByTestId('editor-note-count').getAttribute('data-count'))).toBe(CHORDS_PER_PIECE * 4);
    await page.getByTestId('editor-autosave').uncheck();

    const harmonize = page.getByTestId('polyphonic-harmonize');
    // Nothing selected: focusable, but says why it cannot run.
    expect(await harmonize.getAttribute('aria-disabled')).toBe('true');
    expect(await harmonize.getAttribute('title')).toMatch(/^Select the melody first/);

    // The soprano (track 0) is the active track: select all of its notes.
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.getByTestId('editor-note-count').getAttribute('data-selected')).toBe(String(CHORDS_PER_PIECE));
    expect(await harmonize.getAttribute('aria-disabled')).toBe('false');
    // An unsaved edit (a rename) is saved before the model reads the clip.
    await page.getByTestId('editor-name').fill('Chorale (edited)');
    await page.getByTestId('editor-name').press('Enter');
    await expect.poll(() => page.getByTestId('editor-dirty').getAttribute('data-dirty')).toBe('true');

    await harmonize.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('polyphonic-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('polyphonic-target').textContent()).toContain(`${CHORDS_PER_PIECE} melody notes on “Soprano”`);
    expect(await dialog.getByTestId('polyphonic-model').locator('option').count()).toBe(1);
    expect(await dialog.getByTestId('polyphonic-model').inputValue()).toBe(modelId);
    await dialog.getByTestId('polyphonic-count').fill('17');
    await expect.poll(() => alerts(dialog)).toContain('The number of variations is a whole number from 1 to 16.');
    await dialog.getByTestId('polyphonic-count').fill('2');
    await dialog.getByTestId('polyphonic-seed').fill('7');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'polyphonic-harmonize-dialog.png') });
    await dialog.getByTestId('polyphonic-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    expect(await page.getByTestId('editor-dirty').getAttribute('data-dirty')).toBe('false');
    expect((await api.clips.get({ clipId })).name).toBe('Chorale (edited)');

    const run = page.locator('[data-testid="polyphonic-run"][data-use="harmonize"]').first();
    await expect.poll(() => run.getAttribute('data-state'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
    expect(await run.getByTestId('polyphonic-run-message').textContent()).toBe('Harmonized “Chorale (edited)”: 2 new clips.');
    const results = run.getByTestId('polyphonic-open-result');
    expect(await results.count()).toBe(2);
    harmonizedIds = await results.evaluateAll((buttons) => buttons.map((button) => Number(button.getAttribute('data-clip-id'))));

    // Each result keeps the melody and adds voices under it.
    const source = await api.clips.get({ clipId });
    const melody = trackNotes(source, 0);
    for (const id of harmonizedIds) {
      const result = await api.clips.get({ clipId: id });
      expect(result.modelId).toBe(Number(modelId));
      const notes = result.tracks.flatMap((track) => track.notes);
      expect(notes.length).toBeGreaterThan(melody.length);
      const all = new Set(result.tracks.flatMap((track) => track.notes.map((note) => `${note.ticks}:${note.pitch}`)));
      // The melody is in the result (the clip's ppq is kept).
      expect(melody.every((note) => all.has(note))).toBe(true);
    }
    // The clips list knows them, and the first opens in the editor.
    await results.first().click();
    await expect.poll(() => page.getByTestId('editor-name').inputValue()).not.toBe('Chorale (edited)');
    await expect.poll(async () => Number(await page.getByTestId('editor-note-count').getAttribute('data-count'))).toBeGreaterThan(CHORDS_PER_PIECE);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'polyphonic-harmonized.png') });
  });

  it('infills a loop region: new clips that keep the music outside it', async () => {
    // The first harmonized clip is open, nothing selected: loop bars 2–3 by Shift+drag on the ruler.
    const opened = harmonizedIds[0]!;
    expect(opened).toBeGreaterThan(0);
    const ruler = page.getByTestId('editor-ruler');
    await page.keyboard.press('Escape');
    const infill = page.getByTestId('polyphonic-infill');
    expect(await infill.getAttribute('aria-disabled')).toBe('true');
    expect(await infill.getAttribute('title')).toMatch(/^Mark the region to infill/);
    const map = await page.getByTestId('editor-canvas').evaluate((element) => ({ ...(element as HTMLElement).dataset }));
    const ppq = Number(map.ppq);
    const box = (await ruler.boundingBox())!;
    const xOf = (ticks: number) => box.x + (ticks * Number(map.pxPerQuarter)) / ppq - Number(map.scrollX);
    await page.keyboard.down('Shift');
    await page.mouse.move(xOf(4 * ppq), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(xOf(12 * ppq), box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => ruler.getAttribute('data-loop-start')).toBe(String(4 * ppq));
    expect(await ruler.getAttribute('data-loop-end')).toBe(String(12 * ppq));
    await expect.poll(() => infill.getAttribute('aria-disabled')).toBe('false');

    await infill.click();
    const dialog = page.getByTestId('polyphonic-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('polyphonic-target').textContent()).toContain('(the loop), all pitches');
    expect(await dialog.getByTestId('polyphonic-band').isDisabled()).toBe(true);
    await dialog.getByTestId('polyphonic-lookahead').fill('4');
    await dialog.getByTestId('polyphonic-seed').fill('3');
    await dialog.getByTestId('polyphonic-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);

    const run = page.locator('[data-testid="polyphonic-run"][data-use="infill"]').first();
    await expect.poll(() => run.getAttribute('data-state'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
    const results = run.getByTestId('polyphonic-open-result');
    expect(await results.count()).toBe(2);
    const ids = await results.evaluateAll((buttons) => buttons.map((button) => Number(button.getAttribute('data-clip-id'))));
    const source = await api.clips.get({ clipId: opened });
    // Onsets outside the region stay (a note held into the region may be cut at its edge, and what
    // a regenerated note holds past the end may start there, so onsets exactly at the end may be added).
    const onsets = (clip: Clip, keep: (ticks: number) => boolean) =>
      clip.tracks
        .flatMap((track) => track.notes)
        .filter((note) => keep(note.ticks))
        .map((note) => `${note.ticks}:${note.pitch}`)
        .sort();
    const start = 4 * ppq;
    const end = 12 * ppq;
    for (const id of ids) {
      const result = await api.clips.get({ clipId: id });
      expect(result.modelId).toBe(Number(modelId));
      expect(onsets(result, (ticks) => ticks < start)).toEqual(onsets(source, (ticks) => ticks < start));
      expect(onsets(result, (ticks) => ticks > end)).toEqual(onsets(source, (ticks) => ticks > end));
      expect(onsets(result, (ticks) => ticks === end)).toEqual(expect.arrayContaining(onsets(source, (ticks) => ticks === end)));
      const inside = result.tracks.flatMap((track) => track.notes).filter((note) => note.ticks >= 4 * ppq && note.ticks < 12 * ppq);
      expect(inside.length).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'polyphonic-infilled.png') });
    expect(browser.problems).toEqual([]);
  });
});
