/**
 * Playback to MIDI hardware in real Chromium against the real browser-mode server, with a recording
 * MIDIAccess injected before the page loads (midi-fake-access.ts): the known clip is imported and
 * made a clip through the studio API, opened on the playback test page (#playback-test&clip=N), and
 * played to the fake output through webmidi. The test asserts the exact bytes and their timestamps
 * (program changes, Start, notes, clock, Stop), stop and panic, a port held by another program, the
 * SysEx setting, hot-plug, and recording from a fake keyboard.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';
import { clipOf, connectStudio, fakeMidiScript, type SentRecord } from './midi-fake-access';
import { knownClip } from '../unit/renderer/playback-fakes';
import { projectRoot } from '../support/paths';

if (!hasChromium) console.warn(CHROMIUM_MISSING);

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const TICK_MS = 500 / 480;
const LOOKAHEAD_MS = 100;
/** Timestamps are computed, not measured: they match the tempo map to floating-point precision. */
const TIME_TOLERANCE_MS = 0.01;

function hex(bytes: readonly number[]): string {
  return bytes.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

describe.skipIf(!hasChromium)('MIDI output, input and devices (browser mode, real Chromium, injected MIDIAccess)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    studio = await startStudioProcess();
    const client = connectStudio(studio.url);
    let clipId: number;
    try {
      clipId = await clipOf(client.studio, knownClip());
    } finally {
      client.close();
    }
    browser = await openBrowser();
    page = browser.page;
    await browser.context.addInitScript({
      content: fakeMidiScript({
        outputs: [
          { id: 'out-1', name: 'Fake Synth' },
          { id: 'busy-1', name: 'Busy Synth', busy: true },
        ],
        inputs: [{ id: 'in-1', name: 'Fake Keys' }],
      }),
    });
    const url = new URL(studio.url);
    url.hash = `playback-test&clip=${clipId}`;
    await page.goto(url.toString());
    await page.locator('[data-testid="playback-test-music"][data-state="ready"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
  });

  const sent = (): Promise<SentRecord[]> => page.evaluate(() => (window as unknown as { __sent: SentRecord[] }).__sent.slice());
  const sentCount = async (): Promise<number> => (await sent()).length;
  const playing = async (): Promise<boolean> => (await page.getByTestId('transport-bar').getAttribute('data-playing')) === 'true';

  /** Clicks a transport button inside the page and returns performance.now() at the click. */
  async function clickAt(testId: string): Promise<number> {
    return page.evaluate((id) => {
      const at = performance.now();
      (document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
      return at;
    }, testId);
  }

  it('lists the fake outputs and the input, asking for MIDI access without SysEx', async () => {
    const select = page.getByTestId('midi-output-select');
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['Internal synth', 'Fake Synth', 'Busy Synth (in use?)']);
    expect(await page.getByTestId('midi-input-select').inputValue()).toBe('in-1');
    expect(await page.evaluate(() => (window as unknown as { __midi: { requests: unknown[] } }).__midi.requests)).toEqual([{ sysex: false }]);
    // webmidi opens every port; the held one makes that fail, and the panel says so.
    expect(await page.getByTestId('midi-message').textContent()).toContain('another program is using it');
    expect(await page.getByTestId('midi-status').textContent()).toBe('MIDI ready');
    await select.selectOption('out-1');
    await expect.poll(() => select.inputValue()).toBe('out-1');
  });

  it('plays the known clip to the output: exact bytes, timestamps on the tempo map, clock, Start and Stop', async () => {
    const before = await sentCount();
    await page.getByTestId('transport-play').click();
    await expect.poll(playing).toBe(true);
    await expect.poll(playing, { timeout: 10_000, interval: 100 }).toBe(false);
    const messages = (await sent()).slice(before);
    const start = messages.find(([, bytes]) => bytes[0] === 0xfa);
    expect(start).toBeDefined();
    const origin = start![2];
    const notClock = messages.filter(([, bytes]) => bytes[0] !== 0xf8);
    expect(notClock.map(([port, bytes]) => `${port} ${hex(bytes)}`)).toEqual([
      'out-1 C0 00',
      'out-1 C1 21',
      'out-1 FA',
      'out-1 90 3C 64',
      'out-1 91 30 46',
      'out-1 80 3C 40',
      'out-1 90 40 5A',
      'out-1 80 40 40',
      'out-1 81 30 40',
      'out-1 90 43 50',
      'out-1 80 43 40',
      'out-1 B0 7B 00',
      'out-1 B1 7B 00',
      'out-1 FC',
    ]);
    const intended = [0, 0, 0, 0, 0, 500, 1000, 1500, 2000, 2000, 3000, 3000, 3000, 3000];
    notClock.forEach(([, , timestamp], index) => expect(Math.abs(timestamp - origin - intended[index]!)).toBeLessThan(TIME_TOLERANCE_MS));
    // 120 clocks (10 quarters × 24): every 20.833 ms, then every 41.667 ms after the tempo halves.
    const clocks = messages.filter(([, bytes]) => bytes[0] === 0xf8).map(([, , timestamp]) => timestamp - origin);
    expect(clocks).toHaveLength(120);
    clocks.forEach((at, index) => {
      const expected = index < 96 ? index * 20 * TICK_MS : 2000 + (index - 96) * 40 * TICK_MS;
      expect(Math.abs(at - expected)).toBeLessThan(TIME_TOLERANCE_MS);
    });
    // Nothing was handed over more than the lookahead early (so stop and panic act within it).
    for (const [, bytes, timestamp, sentAt] of messages) {
      expect(timestamp - sentAt, hex(bytes)).toBeLessThanOrEqual(LOOKAHEAD_MS + 0.5);
    }
    // Back to the start after the end.
    expect(await page.getByTestId('transport-position').textContent()).toMatch(/^1:1:000/);
  });

  it('stops within the lookahead: note-offs for sounding notes, all-notes-off and Stop, nothing later', async () => {
    const before = await sentCount();
    await page.getByTestId('transport-play').click();
    await page.waitForTimeout(700);
    const stopAt = await clickAt('transport-stop');
    await page.waitForTimeout(300);
    const messages = (await sent()).slice(before);
    const afterStop = messages.filter(([, , , sentAt]) => sentAt >= stopAt);
    // At ~700 ms only the bass C3 sounds (C4 ended at 500 ms; E4 starts at 1000 ms).
    expect(afterStop.map(([, bytes]) => hex(bytes))).toEqual(['81 30 40', 'B0 7B 00', 'B1 7B 00', 'FC']);
    expect(afterStop[0]![2]).toBeLessThanOrEqual(afterStop[0]![3] + 0.5); // the note-off goes now
    for (const [, , timestamp] of messages) expect(timestamp).toBeLessThanOrEqual(stopAt + LOOKAHEAD_MS + 1);
    expect(await playing()).toBe(false);
    expect(await page.getByTestId('transport-position').textContent()).toMatch(/^1:2:/);
  });

  it('panics: CC 120, 123, 121 on all 16 channels, then note-offs for the sounding notes', async () => {
    // From the top again (a second stop returns to the start).
    await page.getByTestId('transport-stop').click();
    const before = await sentCount();
    await page.getByTestId('transport-play').click();
    await page.waitForTimeout(300);
    const panicAt = await clickAt('panic-button');
    await page.waitForTimeout(200);
    const afterPanic = (await sent()).slice(before).filter(([, , , sentAt]) => sentAt >= panicAt);
    const expected: string[] = [];
    for (let channel = 0; channel < 16; channel++) {
      const status = hex([0xb0 + channel]);
      expected.push(`${status} 78 00`, `${status} 7B 00`, `${status} 79 00`);
    }
    expected.push('80 3C 40', '81 30 40', 'FC');
    expect(afterPanic.map(([, bytes]) => hex(bytes))).toEqual(expected);
    for (const [, , timestamp] of afterPanic.slice(0, 50)) expect(timestamp).toBeLessThanOrEqual(panicAt + 50);
    expect(await playing()).toBe(false);
  });

  it('says clearly that a port held by another program cannot be opened, and keeps playing to the current output', async () => {
    await page.getByTestId('midi-output-select').selectOption('busy-1');
    const notice = page.getByTestId('notice').filter({ hasText: 'Busy Synth' });
    await expect.poll(() => notice.textContent()).toContain('“Busy Synth” cannot be opened: another program is using it');
    await expect.poll(() => page.getByTestId('midi-output-select').inputValue()).toBe('out-1');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('records notes played on a MIDI keyboard, in free time from the playhead at the piece’s tempo', async () => {
    await page.getByTestId('transport-stop').click(); // back to the start
    await page.getByTestId('record-toggle').click();
    await expect.poll(() => page.getByTestId('record-toggle').getAttribute('data-recording')).toBe('true');
    const before = await sentCount();
    await page.evaluate(() => {
      const midi = (window as unknown as { __midi: { input(id: string, data: number[], at: number): void } }).__midi;
      const t0 = performance.now();
      midi.input('in-1', [0x90, 60, 100], t0);
      midi.input('in-1', [0x80, 60, 0], t0 + 250);
      midi.input('in-1', [0x90, 64, 90], t0 + 500);
      midi.input('in-1', [0x90, 64, 0], t0 + 1000);
      midi.input('in-1', [0xb0, 64, 127], t0 + 1100); // not a note: ignored
    });
    await page.getByTestId('record-toggle').click();
    await expect.poll(() => page.getByTestId('recorded-notes').textContent()).not.toBe('');
    const notes = JSON.parse((await page.getByTestId('recorded-notes').textContent())!) as unknown;
    expect(notes).toEqual([
      { ticks: 0, durationTicks: 240, pitch: 60, velocity: 100, channel: 0 },
      { ticks: 480, durationTicks: 480, pitch: 64, velocity: 90, channel: 0 },
    ]);
    // What was played was echoed to the output on the first track's channel.
    const echoed = (await sent()).slice(before).map(([, bytes]) => hex(bytes));
    expect(echoed).toEqual(['90 3C 64', '80 3C 40', '90 40 5A', '80 40 40']);
  });

  it('asks for MIDI access again with SysEx when the setting is turned on, and keeps the output', async () => {
    await page.getByTestId('midi-sysex-toggle').check();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __midi: { requests: unknown[] } }).__midi.requests)).toEqual([{ sysex: false }, { sysex: true }]);
    await expect.poll(() => page.getByTestId('midi-sysex-toggle').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('midi-output-select').inputValue()).toBe('out-1');
  });

  it('hot-plug: a new device appears; unplugging the playing output stops cleanly, falls back and says so', async () => {
    const select = page.getByTestId('midi-output-select');
    await page.evaluate(() => (window as unknown as { __midi: { connect(type: string, id: string, name: string): void } }).__midi.connect('output', 'out-2', 'New Synth'));
    await expect.poll(() => select.locator('option').allTextContents()).toContain('New Synth');
    await page.getByTestId('transport-stop').click();
    await page.getByTestId('transport-play').click();
    await page.waitForTimeout(300);
    await page.evaluate(() => (window as unknown as { __midi: { disconnect(type: string, id: string): void } }).__midi.disconnect('output', 'out-1'));
    await expect.poll(playing).toBe(false);
    await expect.poll(() => select.inputValue()).toBe('internal');
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(['Internal synth', 'Busy Synth (in use?)', 'New Synth']);
    await expect.poll(() => page.getByTestId('notice').allTextContents()).toContain(
      'The MIDI output “Fake Synth” was disconnected. Playback stopped and switched to the internal synth.',
    );
    // Nothing more is sent anywhere.
    const after = await sentCount();
    await page.waitForTimeout(200);
    expect(await sentCount()).toBe(after);
  });

  it('previews through the internal synth: Tone.js loads under the page’s CSP and the playhead moves', async () => {
    expect(await page.getByTestId('midi-output-select').inputValue()).toBe('internal');
    const before = await sentCount();
    await page.getByTestId('transport-stop').click();
    await page.getByTestId('transport-play').click();
    await expect.poll(() => page.getByTestId('transport-position').textContent(), { timeout: 5_000 }).toMatch(/^1:[2-4]:/);
    await page.getByTestId('transport-stop').click();
    expect(await playing()).toBe(false);
    expect(await sentCount()).toBe(before);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'midi-playback-test.png') });
    expect(browser.problems).toEqual([]);
  });
});
