/**
 * The piano roll in real Chromium against the real browser-mode server: import a small piece, open
 * it in the editor (an edited copy), draw three notes with the mouse at grid positions computed from
 * the roll's own coordinate mapping, select all, transpose, undo, redo, delete one, save with Ctrl+S,
 * reload, reopen the clip, and check through the API that the saved notes are exactly what was drawn
 * and that the imported piece did not change. Also: the help overlay, shortcuts that stay quiet while
 * typing, resize cursors, rubber-band selection, mute and solo. A screenshot lands in test/.tmp.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStudioClient, type StudioApi } from '../../core/ipc/client';
import { socketUrlFor } from '../../renderer/src/transport/pick-studio';
import { createWebSocketTransport, type WebSocketConstructor, type WebSocketTransport } from '../../renderer/src/transport/ws-transport';
import { melody } from '../support/midi-fixtures';
import { projectRoot, tempDir } from '../support/paths';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const MELODY = [60, 62, 64, 65];

if (!hasChromium) console.warn(CHROMIUM_MISSING);

/** The roll's mapping, as the grid canvas publishes it (see RollController.#publishViewport). */
interface Mapping {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly scrollX: number;
  readonly scrollY: number;
  readonly pxPerQuarter: number;
  readonly rowHeight: number;
  readonly ppq: number;
}

type NoteTuple = [ticks: number, durationTicks: number, pitch: number];

describe.skipIf(!hasChromium)('piano roll editor (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;
  let transport: WebSocketTransport;
  let api: StudioApi;
  let pieceId = 0;
  let clipId = 0;
  let originalPieceNotes: NoteTuple[] = [];

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-editor-');
    fs.mkdirSync(path.join(fixtures, 'song'), { recursive: true });
    fs.writeFileSync(path.join(fixtures, 'song', 'melody.mid'), melody(MELODY));
    studio = await startStudioProcess();
    // The test's own client of the same server, to read what was saved (ws standing in for the browser's WebSocket).
    const url = new URL(studio.url);
    class BrowserLikeSocket extends WebSocket {
      constructor(address: string) {
        super(address, { origin: url.origin });
      }
    }
    transport = createWebSocketTransport(socketUrlFor({ protocol: url.protocol, host: url.host, search: url.search }), {
      WebSocketImpl: BrowserLikeSocket as unknown as WebSocketConstructor,
    });
    api = createStudioClient(transport);
    browser = await openBrowser();
    page = browser.page;
    await page.goto(studio.url);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    transport?.close();
    await browser?.close();
    await studio?.stop();
    if (fixtures) fs.rmSync(fixtures, { recursive: true, force: true });
  });

  async function mapping(): Promise<Mapping> {
    const canvas = page.getByTestId('editor-canvas');
    const box = (await canvas.boundingBox())!;
    const data = await canvas.evaluate((element) => ({ ...(element as HTMLElement).dataset }));
    return {
      left: box.x,
      top: box.y,
      width: box.width,
      height: box.height,
      scrollX: Number(data.scrollX),
      scrollY: Number(data.scrollY),
      pxPerQuarter: Number(data.pxPerQuarter),
      rowHeight: Number(data.rowHeight),
      ppq: Number(data.ppq),
    };
  }

  /** The page point of a time and pitch: x = ticks × pxPerQuarter / ppq − scrollX, y = (127 − pitch) × rowHeight − scrollY. */
  function pointOf(map: Mapping, ticks: number, pitch: number): { x: number; y: number } {
    const x = (ticks * map.pxPerQuarter) / map.ppq - map.scrollX;
    const y = (127 - pitch) * map.rowHeight - map.scrollY + map.rowHeight / 2;
    expect(x, `tick ${ticks} is in view`).toBeGreaterThan(0);
    expect(x).toBeLessThan(map.width);
    expect(y, `pitch ${pitch} is in view`).toBeGreaterThan(0);
    expect(y).toBeLessThan(map.height);
    return { x: map.left + x, y: map.top + y };
  }

  const noteCount = async (): Promise<number> => Number(await page.getByTestId('editor-note-count').getAttribute('data-count'));
  const dirty = (): Promise<string | null> => page.getByTestId('editor-dirty').getAttribute('data-dirty');

  function tuples(music: { tracks: readonly { notes: readonly { ticks: number; durationTicks: number; pitch: number }[] }[] }): NoteTuple[] {
    return music.tracks.flatMap((track) => track.notes.map((note): NoteTuple => [note.ticks, note.durationTicks, note.pitch])).sort((a, b) => a[0] - b[0] || a[2] - b[2]);
  }

  it('imports a piece and opens it in the editor as a copy', async () => {
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(path.join(fixtures, 'song'));
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill('Song');
    await dialog.getByTestId('import-button').click();
    const row = page.getByTestId('piece-row').filter({ hasText: 'melody.mid' });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.locator('.cell-noteCount').textContent()).toBe('4');

    const corpus = (await api.corpora.list()).find((candidate) => candidate.name === 'Song')!;
    pieceId = (await api.corpora.pieces({ corpusId: corpus.id }))[0]!.id;
    originalPieceNotes = tuples(await api.pieces.get({ pieceId }));
    expect(originalPieceNotes.map((note) => note[2])).toEqual(MELODY);

    await row.getByTestId('open-in-editor').click();
    await page.getByTestId('editor-canvas').waitFor();
    expect(await page.getByTestId('editor-nav').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('editor-origin').textContent()).toContain('Editing a copy of song/melody.mid');
    await expect.poll(noteCount).toBe(4);
    const clips = await api.clips.list();
    expect(clips).toHaveLength(1);
    clipId = clips[0]!.id;
    expect(await page.getByTestId('track-row').count()).toBe(1);
  });

  it('draws three notes with the mouse where the grid says', async () => {
    // Explicit saves only, so Ctrl+S is what is tested.
    await page.getByTestId('editor-autosave').uncheck();
    expect(await page.getByTestId('tool-draw').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('snap-select').inputValue()).toBe('1/16');
    const map = await mapping();
    // Clicks inside a sixteenth's cell land on its start (1/16 = 120 ticks at 480 ppq) and last a sixteenth.
    for (const [ticks, pitch] of [
      [1920, 67],
      [2400, 69],
    ] as const) {
      const point = pointOf(map, ticks + 50, pitch);
      await page.mouse.click(point.x, point.y);
    }
    // The third is dragged out to a quarter: its end snaps up to the next sixteenth line.
    const from = pointOf(map, 2880 + 50, 71);
    const to = pointOf(map, 3300, 71);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    await expect.poll(noteCount).toBe(7);
    expect(await dirty()).toBe('true');
    expect(await page.getByTestId('undo-button').isEnabled()).toBe(true);

    // The end of a drawn note shows a resize cursor, its body a move cursor.
    const edge = pointOf(map, 3360 - 8, 71);
    await page.mouse.move(edge.x - 1, edge.y);
    expect(await page.getByTestId('editor-scroller').evaluate((element) => (element as HTMLElement).style.cursor)).toBe('ew-resize');
    const body = pointOf(map, 3000, 71);
    await page.mouse.move(body.x, body.y);
    expect(await page.getByTestId('editor-scroller').evaluate((element) => (element as HTMLElement).style.cursor)).toBe('move');
  });

  it('selects all, transposes, undoes and redoes, rubber-bands, and deletes one note', async () => {
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.getByTestId('editor-note-count').textContent()).toContain('7 selected');
    await page.getByTestId('transpose-up').click();
    await page.keyboard.press('Control+z');
    await page.getByTestId('redo-button').click();
    expect(await page.getByTestId('redo-button').isEnabled()).toBe(false);

    // A rubber band around the drawn notes (now a semitone up) with the select tool.
    await page.getByTestId('tool-select').click();
    const map = await mapping();
    const corner = pointOf(map, 1800, 73);
    const opposite = pointOf(map, 3500, 67);
    await page.mouse.move(corner.x, corner.y);
    await page.mouse.down();
    await page.mouse.move(opposite.x, opposite.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('editor-note-count').textContent()).toContain('3 selected');

    // Click the first drawn note alone, then Delete.
    const first = pointOf(map, 1920 + 60, 68);
    await page.mouse.click(first.x, first.y);
    await expect.poll(() => page.getByTestId('editor-note-count').textContent()).toContain('1 selected');
    await page.keyboard.press('Delete');
    await expect.poll(noteCount).toBe(6);
  });

  it('keeps shortcuts quiet while typing, and lists them in the help overlay', async () => {
    const velocity = page.getByTestId('velocity-input');
    await velocity.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('90');
    expect(await noteCount()).toBe(6);
    expect(await velocity.inputValue()).toBe('90');
    await page.getByTestId('editor-canvas').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await page.keyboard.press('Shift+?');
    const help = page.getByTestId('help-overlay');
    await expect.poll(() => help.isVisible()).toBe(true);
    const text = (await help.textContent()) ?? '';
    for (const label of ['Ctrl/Cmd+Z', 'Ctrl/Cmd+Shift+Z', 'Ctrl/Cmd+D', 'Delete', 'Space', 'Shift+↑', 'Rubber-band']) expect(text).toContain(label);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
  });

  it('mutes and solos a track', async () => {
    const track = page.getByTestId('track-row').first();
    await track.getByTestId('track-mute').click();
    expect(await track.getByTestId('track-mute').getAttribute('aria-pressed')).toBe('true');
    await track.getByTestId('track-solo').click();
    expect(await track.getByTestId('track-solo').getAttribute('aria-pressed')).toBe('true');
    await track.getByTestId('track-mute').click();
    expect(await track.getByTestId('track-mute').getAttribute('aria-pressed')).toBe('false');
    // Mixer state is not an edit: still the same undo step on top.
    expect(await page.getByTestId('undo-button').getAttribute('title')).toBe('Undo Delete (Ctrl/Cmd+Z)');
  });

  it('saves with Ctrl+S exactly what was drawn, and the imported piece is unchanged', async () => {
    expect(await dirty()).toBe('true');
    await page.keyboard.press('Control+s');
    await expect.poll(dirty, { timeout: 10_000 }).toBe('false');
    expect(await page.getByTestId('editor-dirty').textContent()).toContain('Saved');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'editor.png') });

    const expected: NoteTuple[] = [
      // The melody's quarter notes (432 ticks long), a semitone up.
      ...MELODY.map((pitch, index): NoteTuple => [index * 480, 432, pitch + 1]),
      // The second and third drawn notes, a semitone up; the first was deleted.
      [2400, 120, 70],
      [2880, 480, 72],
    ];
    const clip = await api.clips.get({ clipId });
    expect(tuples(clip)).toEqual(expected);
    // Seconds follow the ticks (120 bpm, 480 ppq): tick 2880 is 3 s.
    expect(clip.tracks[0]!.notes.find((note) => note.ticks === 2880)!.time).toBeCloseTo(3);
    expect(tuples(await api.pieces.get({ pieceId }))).toEqual(originalPieceNotes);
  });

  it('reopens the saved clip after a reload', async () => {
    await page.reload();
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('piece-row').filter({ hasText: 'melody.mid' }).locator('.cell-noteCount').textContent()).toBe('4');
    await page.getByTestId('models-nav').click();
    const row = page.locator(`[data-testid="clip-row"][data-clip-id="${clipId}"]`);
    await row.waitFor();
    expect(await row.locator('td.numeric').first().textContent()).toBe('6');
    await row.getByTestId('open-in-editor').click();
    await page.getByTestId('editor-canvas').waitFor();
    await expect.poll(noteCount).toBe(6);
    expect(await dirty()).toBe('false');
    expect(await page.getByTestId('editor-origin').textContent()).toContain('Editing a clip');
    // Opening the clip made no copy.
    expect(await api.clips.list()).toHaveLength(1);
  });

  it('moves, resizes and nudges notes, draws a velocity, and saves them', async () => {
    const map = await mapping();
    // Drag the sixteenth at 2400 (pitch 70) by its middle two beats later and two semitones up (to 72).
    const grab = pointOf(map, 2460, 70);
    const drop = pointOf(map, 2460 + 960, 72);
    await page.mouse.move(grab.x, grab.y);
    await page.mouse.down();
    await page.mouse.move(drop.x, drop.y, { steps: 8 });
    await page.mouse.up();
    // Stretch the quarter at 2880 (pitch 72) by its end to a half note.
    const end = pointOf(map, 3360, 72);
    await page.mouse.move(end.x - 2, end.y);
    await page.mouse.down();
    await page.mouse.move(pointOf(map, 3840, 72).x, end.y, { steps: 8 });
    await page.mouse.up();
    // Select the first melody note alone, nudge it a grid step later, a semitone and an octave up.
    const first = pointOf(map, 200, 61);
    await page.mouse.click(first.x, first.y);
    await expect.poll(() => page.getByTestId('editor-note-count').getAttribute('data-selected')).toBe('1');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Shift+ArrowUp');
    expect(await page.getByTestId('editor-selected-note').textContent()).toContain('D5');
    // Its velocity, clicked low in the velocity lane at its start (no other note starts near it).
    const lane = (await page.getByTestId('editor-velocity').boundingBox())!;
    const stemX = map.left + (120 * map.pxPerQuarter) / map.ppq - map.scrollX;
    await page.mouse.move(stemX, lane.y + lane.height - 8);
    await page.mouse.down();
    await page.mouse.up();
    await page.keyboard.press('Control+s');
    await expect.poll(dirty, { timeout: 10_000 }).toBe('false');

    const clip = await api.clips.get({ clipId });
    const notes = clip.tracks[0]!.notes;
    expect(tuples(clip)).toEqual([
      [120, 432, 74],
      [480, 432, 63],
      [960, 432, 65],
      [1440, 432, 66],
      [2880, 960, 72],
      [3360, 120, 72],
    ]);
    const nudged = notes.find((note) => note.ticks === 120)!;
    expect(nudged.velocity).toBeLessThan(20);
    expect(notes.find((note) => note.ticks === 480)!.velocity).toBeGreaterThan(90);
    // Six edits (move, resize, three nudges, velocity), each its own undo step: undone, the clip is dirty again; redone, clean.
    for (let step = 0; step < 6; step++) await page.keyboard.press('Control+z');
    expect(await dirty()).toBe('true');
    for (let step = 0; step < 6; step++) await page.keyboard.press('Control+Shift+z');
    expect(await dirty()).toBe('false');
  });

  it('plays with Space: the playhead moves, and stops with Space', async () => {
    const playhead = page.getByTestId('editor-playhead');
    const position = async () => Number(/translateX\((-?[\d.]+)px\)/.exec((await playhead.getAttribute('style')) ?? '')?.[1] ?? 'NaN');
    const before = await position();
    await page.keyboard.press('Space');
    await expect.poll(position, { timeout: 5_000 }).toBeGreaterThan(before + 5);
    await page.keyboard.press('Space');
    // The line is placed on the next animation frame; after that it stays.
    await page.waitForTimeout(150);
    const stopped = await position();
    await page.waitForTimeout(400);
    expect(await position()).toBe(stopped);
    expect(stopped).toBeGreaterThan(before);
  });
});
