/**
 * Export WAV in real Chromium against the real browser-mode server: the button on a piece's row
 * starts a render job (shown in the Jobs panel), and when it is done the page downloads a .wav that
 * is 44.1 kHz 16-bit stereo, as long as the tune plus its release, and not silent.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/paths';
import { writeMidiFile } from '../support/midi-fixtures';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const JOB_TIMEOUT_MS = 120_000;
/** writeMidiFile(…, seed 6, 6 notes): six quarter notes at 96 bpm. */
const TUNE_SECONDS = (6 * 60) / 96;

if (!hasChromium) console.warn(CHROMIUM_MISSING);

describe.skipIf(!hasChromium)('Export WAV (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let fixtures: string;

  beforeAll(async () => {
    fixtures = tempDir('studio-e2e-wav-');
    writeMidiFile(path.join(fixtures, 'tunes', 'tune-06.mid'), 6, 6);
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

  it('renders a piece in a job and downloads a valid, audible .wav', async () => {
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('folder-input').setInputFiles(path.join(fixtures, 'tunes'));
    await expect.poll(() => dialog.getByTestId('import-selection').isVisible()).toBe(true);
    await dialog.getByTestId('corpus-name-input').fill('Wav tunes');
    await dialog.getByTestId('import-button').click();
    const importJob = page.getByTestId('job-row').filter({ hasText: 'Import into “Wav tunes”' }).first();
    await expect.poll(() => importJob.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
    await page.getByTestId('corpus-row').filter({ hasText: 'Wav tunes' }).first().click();
    await page.getByTestId('tab-pieces').click();

    const row = page.getByTestId('piece-row').filter({ hasText: 'tune-06' });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: JOB_TIMEOUT_MS }),
      row.getByTestId('export-wav').click(),
    ]);
    expect(download.suggestedFilename()).toBe('tune-06.wav');
    const renderJob = page.getByTestId('job-row').filter({ hasText: 'Render tune-06.wav' }).first();
    await expect.poll(() => renderJob.getAttribute('data-status'), { timeout: 10_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: 'Downloaded tune-06.wav' }).count()).toBe(1);

    const saved = path.join(fixtures, 'downloaded.wav');
    await download.saveAs(saved);
    const wav = fs.readFileSync(saved);
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(wav.subarray(8, 16).toString('latin1')).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1);
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(44_100);
    expect(wav.readUInt16LE(34)).toBe(16);
    const dataBytes = wav.readUInt32LE(40);
    expect(wav.length).toBe(44 + dataBytes);
    const seconds = dataBytes / 4 / 44_100;
    expect(seconds).toBeGreaterThan(TUNE_SECONDS);
    expect(seconds).toBeLessThanOrEqual(TUNE_SECONDS + 2.05);
    let sum = 0;
    const frames = Math.floor(TUNE_SECONDS * 44_100);
    for (let i = 0; i < frames * 2; i++) sum += (wav.readInt16LE(44 + i * 2) / 32768) ** 2;
    expect(Math.sqrt(sum / (frames * 2))).toBeGreaterThan(0.005);
  });
});
