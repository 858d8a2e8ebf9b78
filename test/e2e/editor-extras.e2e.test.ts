/**
 * The editor's extras in real Chromium against the real browser-mode server, with the recording
 * MIDIAccess injected before the page loads (midi-fake-access.ts):
 * (a) record from the fake keyboard into the piano roll (one undoable take, quantized to the snap);
 * (b) the loop region from the selection and by Shift+drag on the ruler, driving playback's loop;
 * (c) the hidden-state lane: an HMM trained through the API on a small corpus, the clip of one of its
 *     pieces opened, the model chosen: the lane paints one state per token of the saved clip.
 * A screenshot of the states lane lands in test/.tmp/editor-states.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioApi } from '../../core/ipc/client';
import { melody } from '../support/midi-fixtures';
import { projectRoot } from '../support/paths';
import { connectStudio, fakeMidiScript } from './midi-fake-access';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

if (!hasChromium) console.warn(CHROMIUM_MISSING);

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const CLIP_NAME = 'Extras clip';
/** A sixteenth at 480 ppq: the editor's default snap, which quantized recording uses. */
const SIXTEENTH = 120;

async function waitForJob(api: StudioApi, jobId: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api.jobs.get({ jobId });
    if (job.status === 'done') return;
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`Job ${jobId} ${job.status}: ${job.error ?? job.message}`);
    if (Date.now() > deadline) throw new Error(`Job ${jobId} took over ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Twelve different little melodies (a seeded walk over a C major scale), so the HMM has something to learn. */
function corpusFiles(): { relativePath: string; base64: string }[] {
  const scale = [60, 62, 64, 65, 67, 69, 71, 72];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: 12 }, (_, index) => {
    let step = next() % scale.length;
    const pitches = Array.from({ length: 16 }, () => {
      step = Math.max(0, Math.min(scale.length - 1, step + (next() % 3) - 1));
      return scale[step]!;
    });
    return { relativePath: `tunes/tune-${index}.mid`, base64: Buffer.from(melody(pitches)).toString('base64') };
  });
}

describe.skipIf(!hasChromium)('editor extras: MIDI recording, loop region, hidden-state lane (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let client: { studio: StudioApi; close(): void };
  let api: StudioApi;
  let clipId = 0;
  let modelId = 0;
  let originalNotes = 0;

  beforeAll(async () => {
    studio = await startStudioProcess();
    client = connectStudio(studio.url);
    api = client.studio;
    const corpusName = `Tunes ${Date.now()}`;
    const { jobId } = await api.corpora.importFiles({ corpusName, files: corpusFiles() });
    await waitForJob(api, jobId);
    const corpus = (await api.corpora.list()).find((candidate) => candidate.name === corpusName)!;
    const pieces = await api.corpora.pieces({ corpusId: corpus.id });
    expect(pieces.length).toBe(12);
    const trained = await api.models.train({
      corpusId: corpus.id,
      family: 'hmm',
      name: 'Tiny HMM',
      settings: { representation: 'pitch', states: 5, maxIterations: 3, tolerance: 1e-9, init: 'random', seed: 3, resolution: 4 },
    });
    await waitForJob(api, trained.jobId);
    modelId = trained.modelId;
    expect((await api.models.get({ modelId })).iterations).toBeGreaterThanOrEqual(1);
    const clip = await api.clips.create({ from: { pieceId: pieces[0]!.id }, name: CLIP_NAME });
    clipId = clip.id;
    originalNotes = clip.noteCount;

    browser = await openBrowser();
    page = browser.page;
    await browser.context.addInitScript({ content: fakeMidiScript({ outputs: [{ id: 'out-1', name: 'Fake Synth' }], inputs: [{ id: 'in-1', name: 'Fake Keys' }] }) });
    await page.goto(studio.url);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
  }, 240_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await studio?.stop();
  });

  const noteCount = async (): Promise<number> => Number(await page.getByTestId('editor-note-count').getAttribute('data-count'));
  const play = (bytes: number[]) => page.evaluate((data) => (window as unknown as { __midi: { input(id: string, data: number[]): void } }).__midi.input('in-1', data), bytes);

  it('opens the clip in the editor', async () => {
    await page.getByTestId('editor-nav').click();
    await page.getByTestId('editor-open-clip').filter({ hasText: CLIP_NAME }).click();
    await page.getByTestId('editor-canvas').waitFor();
    await expect.poll(noteCount).toBe(originalNotes);
    await page.getByTestId('editor-autosave').uncheck();
    await expect.poll(() => page.getByTestId('editor-record-input').inputValue()).toBe('in-1');
  });

  it('records a take from the MIDI keyboard: one undoable step, quantized to the snap', async () => {
    await page.getByTestId('editor-record-quantize').check();
    await page.getByTestId('editor-record').click();
    await expect.poll(() => page.getByTestId('editor-record').getAttribute('data-recording')).toBe('true');
    await play([0x90, 84, 100]);
    await page.waitForTimeout(180);
    await play([0x80, 84, 0]);
    await play([0x90, 86, 90]);
    await page.waitForTimeout(260);
    await play([0x90, 86, 0]); // a note-on with velocity 0 is a note-off
    await expect.poll(() => page.getByTestId('editor-record').getAttribute('data-notes')).toBe('2');
    // R stops (the shortcut), the take lands in the roll.
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('editor-record').getAttribute('data-recording')).toBe('false');
    await expect.poll(noteCount).toBe(originalNotes + 2);
    expect(await page.getByTestId('undo-button').getAttribute('title')).toBe('Undo Record 2 notes (Ctrl/Cmd+Z)');

    await page.keyboard.press('Control+z');
    await expect.poll(noteCount).toBe(originalNotes);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(noteCount).toBe(originalNotes + 2);

    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('editor-dirty').getAttribute('data-dirty'), { timeout: 10_000 }).toBe('false');
    const recorded = (await api.clips.get({ clipId })).tracks.flatMap((track) => track.notes).filter((note) => note.pitch >= 84);
    expect(recorded.map((note) => [note.pitch, note.velocity])).toEqual([
      [84, 100],
      [86, 90],
    ]);
    for (const note of recorded) {
      expect(note.ticks % SIXTEENTH).toBe(0);
      expect(note.durationTicks % SIXTEENTH).toBe(0);
      expect(note.durationTicks).toBeGreaterThanOrEqual(SIXTEENTH);
    }
  });

  it('sets the loop from the selection, shows it on the ruler and in the transport, clears it, and Shift+drags one', async () => {
    const ruler = page.getByTestId('editor-ruler');
    // The recorded notes are selected after the take (redo restores that selection): loop them.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+a');
    const notes = (await api.clips.get({ clipId })).tracks.flatMap((track) => track.notes);
    const start = Math.floor(Math.min(...notes.map((note) => note.ticks)) / SIXTEENTH) * SIXTEENTH;
    const end = Math.ceil(Math.max(...notes.map((note) => note.ticks + note.durationTicks)) / SIXTEENTH) * SIXTEENTH;
    await page.getByTestId('loop-from-selection').click();
    await expect.poll(() => ruler.getAttribute('data-loop-start')).toBe(String(start));
    expect(await ruler.getAttribute('data-loop-end')).toBe(String(end));
    expect(await page.getByTestId('transport-loop').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('transport-loop-region').textContent()).toMatch(/–/);

    await page.getByTestId('loop-clear').click();
    await expect.poll(() => ruler.getAttribute('data-loop-start')).toBeNull();
    expect(await page.getByTestId('transport-loop').getAttribute('aria-pressed')).toBe('false');

    // Shift+drag on the ruler from beat 2 to beat 4 (on the grid).
    const map = await page.getByTestId('editor-canvas').evaluate((element) => ({ ...(element as HTMLElement).dataset }));
    const box = (await ruler.boundingBox())!;
    const xOf = (ticks: number) => box.x + (ticks * Number(map.pxPerQuarter)) / Number(map.ppq) - Number(map.scrollX);
    await page.keyboard.down('Shift');
    await page.mouse.move(xOf(480), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(xOf(1440), box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => ruler.getAttribute('data-loop-start')).toBe('480');
    expect(await ruler.getAttribute('data-loop-end')).toBe('1440');
    expect(await page.getByTestId('transport-loop').getAttribute('aria-pressed')).toBe('true');
    // Shift+L with nothing selected clears it.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+L');
    await expect.poll(() => ruler.getAttribute('data-loop-start')).toBeNull();
  });

  it('draws the hidden-state path of a trained HMM under the roll, one state per token of the saved clip', async () => {
    const expected = await api.models.viterbi({ modelId, clipId });
    expect(expected.states.length).toBeGreaterThan(0);
    await page.getByTestId('states-toggle').click();
    const lane = page.getByTestId('states-lane');
    await lane.waitFor();
    const select = page.getByTestId('states-model-select');
    await expect.poll(() => select.locator(`option[value="${modelId}"]`).count()).toBe(1);
    await select.selectOption(String(modelId));
    const canvas = page.getByTestId('states-canvas');
    await expect.poll(() => canvas.getAttribute('data-states'), { timeout: 10_000 }).toBe(String(expected.states.length));
    const painted = async () =>
      canvas.evaluate((element) => {
        const target = element as HTMLCanvasElement;
        const data = target.getContext('2d')!.getImageData(0, 0, target.width, target.height).data;
        let count = 0;
        for (let index = 3; index < data.length; index += 4) if (data[index]! > 0) count++;
        return count;
      });
    await expect.poll(painted).toBeGreaterThan(100);
    expect(await page.getByTestId('states-status').textContent()).toContain(`${expected.states.length} tokens`);

    // Hovering names the state under the pointer.
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 6, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('states-hover').textContent()).toContain(`State ${expected.states[0]}`);

    // An unsaved edit: the path is said to be of the saved version.
    await page.keyboard.press('Control+a');
    await page.getByTestId('transpose-up').click();
    await expect.poll(() => page.getByTestId('states-status').textContent()).toContain('for the saved version');

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editor-states.png') });
    expect(browser.problems).toEqual([]);
  });
});
