/**
 * Issue 8 end to end, in real headless Chromium against the real browser-mode server: the shared JSB
 * chorales are imported and two small HMMs trained on them (through the studio's own WebSocket API
 * from Node, as the page would); then the Compare view (#compare) creates a comparison of the two
 * through its dialog, and the table, the piano rolls, the overlaid histograms and the training
 * curves must appear with real values; a blind A/B preference is recorded and tallied; the CSV and
 * the samples' .zip download and read back; the comparison reopens from its stored results without
 * a new job. Screenshots land in test/.tmp for review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStudioClient, type StudioApi } from '../../core/ipc/client';
import type { Job } from '../../core/ipc/schemas';
import { parseMidi } from '../../core/midi/parse-midi';
import { createWebSocketTransport, type WebSocketConstructor, type WebSocketTransport } from '../../renderer/src/transport/ws-transport';
import { hasJsb, JSB_MISSING, jsbMidiRoot, projectRoot, tempDir } from '../support/paths';
import { CHROMIUM_MISSING, hasChromium, openBrowser, type BrowserSession } from './support/browser';
import { startStudioProcess, type StudioProcess } from './support/studio-process';

const SCREENSHOT_DIR = path.join(projectRoot, 'test/.tmp');
const JOB_TIMEOUT_MS = 150_000;
const MUSPY_METRICS = 10;
const YANG_LERCH_FEATURES = 6;

if (!hasChromium) console.warn(CHROMIUM_MISSING);
if (!hasJsb) console.warn(JSB_MISSING);

/** The studio's API over its WebSocket, from Node (ws standing in for the browser's WebSocket, Origin set as a browser would). */
function connectFromNode(pageUrl: string): { api: StudioApi; transport: WebSocketTransport } {
  const url = new URL(pageUrl);
  const origin = `${url.protocol}//${url.host}`;
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string) {
      super(address, { origin });
    }
  }
  const transport = createWebSocketTransport(`ws://${url.host}/ws?token=${url.searchParams.get('token') ?? ''}`, {
    WebSocketImpl: BrowserLikeSocket as unknown as WebSocketConstructor,
  });
  return { api: createStudioClient(transport), transport };
}

async function waitForJob(api: StudioApi, jobId: number, timeoutMs = JOB_TIMEOUT_MS): Promise<Job> {
  const started = Date.now();
  for (;;) {
    const job = await api.jobs.get({ jobId });
    if (job.status !== 'queued' && job.status !== 'running') return job;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} (${job.title}) did not finish within ${timeoutMs} ms: ${job.message}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Pixels of a canvas that differ from its background (the colour at its top-left corner) and are not transparent. */
function paintedPixels(page: Page, selector: string, index: number): Promise<{ painted: number; total: number; width: number }> {
  return page.locator(selector).nth(index).evaluate((element) => {
    const canvas = element as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = [data[0]!, data[1]!, data[2]!];
    let painted = 0;
    for (let offset = 0; offset < data.length; offset += 4) {
      if (data[offset + 3]! === 0) continue;
      if (Math.abs(data[offset]! - r) + Math.abs(data[offset + 1]! - g) + Math.abs(data[offset + 2]! - b) > 60) painted++;
    }
    return { painted, total: data.length / 4, width: canvas.width };
  });
}

/** RFC 4180, as comparisons.csv writes it (CRLF rows, quoted fields), after the UTF-8 BOM the download adds. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  return rows;
}

describe.skipIf(!hasChromium || !hasJsb)('compare: two HMMs on the JSB chorales, by numbers, pictures and ears (browser mode, real Chromium)', () => {
  let studio: StudioProcess;
  let browser: BrowserSession;
  let page: Page;
  let api: StudioApi;
  let transport: WebSocketTransport;
  let downloads: string;
  let corpusId = 0;
  const modelIds: number[] = [];
  const modelNames: string[] = [];
  let comparisonId = 0;

  beforeAll(async () => {
    downloads = tempDir('studio-e2e-compare-');
    studio = await startStudioProcess();
    ({ api, transport } = connectFromNode(studio.url));

    // The shared chorales, with their train/valid/test folders, imported by path (main reads them).
    const { jobId } = await api.corpora.importPaths({ corpusName: 'JSB chorales', paths: [jsbMidiRoot] });
    const imported = await waitForJob(api, jobId);
    if (imported.result?.kind !== 'import-midi') throw new Error(`The import failed: ${imported.error}\n${studio.stderr()}`);
    corpusId = imported.result.corpusId;
    const splits = await api.corpora.splits({ corpusId });
    expect(splits).toMatchObject({ train: 229, valid: 76, test: 77 });

    // Two small HMMs of different sizes on the pitch representation, a few iterations each.
    for (const states of [6, 12]) {
      const { modelId, jobId: trainJob } = await api.models.train({
        corpusId,
        family: 'hmm',
        settings: { representation: 'pitch', states, maxIterations: 6, tolerance: 1e-9, init: 'kmeans', seed: states, resolution: 4 },
      });
      const job = await waitForJob(api, trainJob);
      expect(job.status, job.error ?? '').toBe('done');
      modelIds.push(modelId);
      modelNames.push((await api.models.get({ modelId })).name);
    }

    browser = await openBrowser();
    page = browser.page;
    await page.goto(`${studio.url}#compare`);
    await page.locator('.compare-route[data-connection="ready"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    transport?.close();
    await browser?.close();
    await studio?.stop();
    if (downloads) fs.rmSync(downloads, { recursive: true, force: true });
  });

  it('starts empty, and creates a comparison of the two models through the dialog', async () => {
    await expect.poll(() => page.locator('.compare-empty').textContent()).toContain('Compare models');
    await page.getByTestId('compare-new').click();
    const dialog = page.getByTestId('compare-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('compare-corpus').inputValue()).toBe(String(corpusId));
    // Both trained models are offered, with their badges, and checked.
    const options = dialog.getByTestId('compare-model-option');
    expect(await options.count()).toBe(2);
    for (const modelId of modelIds) {
      const option = dialog.locator(`[data-testid="compare-model-option"][data-model-id="${modelId}"]`);
      expect(await option.locator('input').isChecked()).toBe(true);
      expect(await option.locator('.kind-badge').textContent()).toBe('HMMpitch');
    }
    // The split counts come from the corpus.
    await expect.poll(() => dialog.getByTestId('compare-split').locator('[data-value="test"]').textContent()).toContain('77');
    expect(await dialog.getByTestId('compare-split').locator('[aria-checked="true"]').getAttribute('data-value')).toBe('test');

    await dialog.getByTestId('compare-samples').fill('0');
    await dialog.getByTestId('compare-start').click();
    await expect.poll(() => dialog.getByTestId('compare-error').textContent()).toContain('Fix the highlighted fields first');
    await dialog.getByTestId('compare-samples').fill('2');
    await dialog.getByTestId('compare-length').fill('4');
    await dialog.getByTestId('compare-seed').fill('7');
    expect(await dialog.locator('.compare-dialog-summary').textContent()).toBe('2 models × 2 samples of 4 bars');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-dialog.png') });
    await dialog.getByTestId('compare-start').click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);

    const detail = page.getByTestId('compare-detail');
    await expect.poll(() => detail.count()).toBe(1);
    comparisonId = Number(await detail.getAttribute('data-comparison-id'));
    expect(comparisonId).toBeGreaterThan(0);
    expect(await page.getByTestId('compare-list-row').count()).toBe(1);
    await expect.poll(() => detail.getAttribute('data-status'), { timeout: JOB_TIMEOUT_MS, interval: 250 }).toBe('done');
    expect(await page.getByTestId('compare-list-row').getAttribute('data-status')).toBe('done');
    // From here on, the models in the comparison's order (the dialog lists the newest first).
    const stored = await api.comparisons.get({ comparisonId });
    expect([...stored.modelIds].sort()).toEqual([...modelIds].sort());
    const names = new Map(modelIds.map((modelId, index) => [modelId, modelNames[index]!] as const));
    modelIds.splice(0, modelIds.length, ...stored.modelIds);
    modelNames.splice(0, modelNames.length, ...stored.modelIds.map((modelId) => names.get(modelId)!));
  });

  it('shows the numbers: the reference and both models, with likelihoods, MusPy metrics and overlap areas', async () => {
    const table = page.getByTestId('compare-table');
    const rows = table.getByTestId('compare-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-model-id')))).toEqual(['reference', ...modelIds.map(String)]);
    expect(await rows.first().textContent()).toContain('77 pieces');

    const nlls: number[] = [];
    for (const [index, modelId] of modelIds.entries()) {
      const row = table.locator(`[data-testid="compare-row"][data-model-id="${modelId}"]`);
      expect(await row.locator('.compare-name-text').textContent()).toBe(modelNames[index]);
      expect(await row.textContent()).toContain('2 samples');
      const nll = Number(await row.getByTestId('nll-cell').getAttribute('data-value'));
      expect(Number.isFinite(nll)).toBe(true);
      // Pitch tokens (a few dozen symbols): between 0 and log(130) nats each.
      expect(nll).toBeGreaterThan(0);
      expect(nll).toBeLessThan(Math.log(130));
      expect(await row.getByTestId('nll-cell').locator('.cell-main').textContent()).toBe(nll.toFixed(3));
      nlls.push(nll);

      const metrics = row.getByTestId('metric-cell');
      expect(await metrics.count()).toBe(MUSPY_METRICS);
      const values = await metrics.evaluateAll((cells) => cells.map((cell) => ({ metric: cell.getAttribute('data-metric'), value: cell.getAttribute('data-value') })));
      const byMetric = Object.fromEntries(values.map(({ metric, value }) => [metric, value === null ? null : Number(value)]));
      for (const metric of ['pitchRange', 'nPitchesUsed', 'nPitchClassesUsed', 'pitchEntropy', 'pitchClassEntropy', 'scaleConsistency', 'emptyBeatRate']) {
        expect(Number.isFinite(byMetric[metric]), metric).toBe(true);
      }
      expect(byMetric.nPitchClassesUsed!).toBeGreaterThanOrEqual(1);
      expect(byMetric.nPitchClassesUsed!).toBeLessThanOrEqual(12);
      expect(byMetric.scaleConsistency!).toBeGreaterThan(0);
      expect(byMetric.scaleConsistency!).toBeLessThanOrEqual(1);

      const overlaps = row.getByTestId('oa-cell');
      expect(await overlaps.count()).toBe(YANG_LERCH_FEATURES);
      const areas = (await overlaps.evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-value')))).filter((value): value is string => value !== null).map(Number);
      expect(areas.length).toBeGreaterThanOrEqual(4);
      for (const area of areas) {
        expect(area).toBeGreaterThanOrEqual(0);
        expect(area).toBeLessThanOrEqual(1);
      }
    }
    // Two models, two scores: a mix-up of rows would show here.
    expect(nlls[0]).not.toBe(nlls[1]);
    // The reference's own MusPy values are in its row (the chorales use most pitch classes).
    const referencePitchClasses = Number(await rows.first().locator('[data-metric="nPitchClassesUsed"]').getAttribute('data-value'));
    expect(referencePitchClasses).toBeGreaterThan(5);
    // With two models, each MusPy metric marks the one closest to the reference (ties may mark both).
    expect(await table.locator('td.is-closest').count()).toBeGreaterThanOrEqual(MUSPY_METRICS - 2);
  });

  it('draws the pictures: piano rolls, overlaid histograms and both training curves', async () => {
    const rolls = page.getByTestId('compare-rolls');
    await rolls.scrollIntoViewIfNeeded();
    // 4 reference pieces and 2 samples of each model.
    const canvases = rolls.getByTestId('compare-roll');
    await expect.poll(() => canvases.count(), { timeout: 30_000 }).toBe(8);
    for (let index = 0; index < 8; index++) {
      const { painted, total, width } = await paintedPixels(page, '[data-testid="compare-rolls"] [data-testid="compare-roll"]', index);
      expect(width).toBeGreaterThan(100);
      expect(painted, `roll ${index}`).toBeGreaterThan(20);
      expect(painted).toBeLessThan(total);
    }

    const histograms = page.getByTestId('compare-histogram');
    expect(await histograms.evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-histogram')))).toEqual(['pitchClass', 'interOnset', 'duration']);
    for (let index = 0; index < 3; index++) {
      const { painted, width } = await paintedPixels(page, '[data-testid="compare-histogram"] canvas', index);
      expect(width).toBeGreaterThan(200);
      expect(painted, `histogram ${index}`).toBeGreaterThan(500);
    }

    const curves = page.getByTestId('compare-loss-curves');
    expect(await curves.getAttribute('data-series')).toBe('2');
    expect(Number(await curves.getAttribute('data-points'))).toBe(6);
    const { painted } = await paintedPixels(page, '[data-testid="compare-loss-curves"] canvas', 0);
    expect(painted).toBeGreaterThan(300);
  });

  it('records a blind A/B preference and tallies it per model', async () => {
    const panel = page.getByTestId('ab-panel');
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.getByTestId('ab-blind').isChecked()).toBe(true);
    // Blind: the sides are only "A" and "B".
    expect(await panel.getByTestId('ab-label-a').textContent()).toBe('A');
    expect(await panel.getByTestId('ab-label-b').textContent()).toBe('B');
    expect(await panel.getByTestId('ab-side-a').getAttribute('data-clip-id')).toBeNull();
    await expect.poll(() => panel.getByTestId('ab-play-a').isEnabled()).toBe(true);
    await expect.poll(() => panel.getByTestId('ab-play-b').isEnabled()).toBe(true);
    // Playing A then B goes through the window's playback (the internal synth here).
    await panel.getByTestId('ab-play-a').click();
    await expect.poll(() => panel.getByTestId('ab-play-a').textContent()).toContain('Stop');
    await panel.getByTestId('ab-play-b').click();
    await expect.poll(() => panel.getByTestId('ab-play-b').textContent()).toContain('Stop');
    expect(await panel.getByTestId('ab-play-a').textContent()).toContain('Play A');
    await panel.getByTestId('ab-play-b').click();

    const tally = panel.getByTestId('preference-tally');
    expect(await tally.getAttribute('data-recorded')).toBe('0');
    await panel.getByTestId('ab-prefer-a').click();
    // Revealed once chosen: both sides named, one from each model.
    await expect.poll(() => panel.getByTestId('ab-reveal').textContent()).toMatch(/^You preferred A \(.+ · sample \d\) over B \(.+ · sample \d\)\.$/);
    const revealed = (await panel.getByTestId('ab-reveal').textContent())!;
    for (const name of modelNames) expect(revealed).toContain(name);
    expect(await panel.getByTestId('ab-label-a').textContent()).toMatch(/ · sample [12]$/);
    expect(await panel.getByTestId('ab-prefer-a').isDisabled()).toBe(true);
    await expect.poll(() => tally.getAttribute('data-recorded')).toBe('1');
    const tallies = await tally.getByTestId('tally-row').evaluateAll((rows) => rows.map((row) => ({ wins: Number(row.getAttribute('data-wins')), losses: Number(row.getAttribute('data-losses')) })));
    expect(tallies.reduce((sum, row) => sum + row.wins, 0)).toBe(1);
    expect(tallies.reduce((sum, row) => sum + row.losses, 0)).toBe(1);
    // The preferred side's model has the win (the reveal names it first).
    const winner = modelNames.findIndex((name) => revealed.startsWith(`You preferred A (${name} · `));
    expect(winner).toBeGreaterThanOrEqual(0);
    expect(tallies[winner]).toEqual({ wins: 1, losses: 0 });
    // main counted it too.
    const stored = await api.comparisons.get({ comparisonId });
    expect(stored.preferences.find((entry) => entry.modelId === modelIds[winner])).toMatchObject({ wins: 1, losses: 0, ties: 0 });

    await panel.getByTestId('ab-next').click();
    expect(await panel.getByTestId('ab-label-a').textContent()).toBe('A');
    expect(await panel.getByTestId('ab-prefer-a').isEnabled()).toBe(true);
  });

  it('exports the numbers as CSV and the samples as a .zip of .mid files', async () => {
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-csv').click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
    const csvPath = path.join(downloads, 'numbers.csv');
    await csvDownload.saveAs(csvPath);
    const rows = parseCsv(fs.readFileSync(csvPath, 'utf8'));
    expect(rows[0]).toEqual(['model', 'family', 'representation', 'metric', 'value']);
    expect(rows[1]).toEqual(['Reference (test split)', 'corpus', '', 'pieces', '77']);
    for (const [index, modelId] of modelIds.entries()) {
      const shown = Number(await page.locator(`[data-testid="compare-row"][data-model-id="${modelId}"] [data-testid="nll-cell"]`).getAttribute('data-value'));
      const row = rows.find((candidate) => candidate[0] === modelNames[index] && candidate[3] === 'nllPerToken');
      expect(Number(row![4])).toBe(shown);
    }

    const [zipDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-samples').click()]);
    expect(zipDownload.suggestedFilename()).toMatch(/samples\.zip$/);
    const zipPath = path.join(downloads, 'samples.zip');
    await zipDownload.saveAs(zipPath);
    const entries = unzipSync(new Uint8Array(fs.readFileSync(zipPath)));
    const names = Object.keys(entries).sort();
    expect(names).toHaveLength(4);
    for (const name of names) {
      expect(name).toMatch(/^[^/]+ samples\/[^/]+\/sample-0[12]\.mid$/);
      expect(parseMidi(entries[name]!, name).tracks.flatMap((track) => track.notes).length).toBeGreaterThan(0);
    }
    for (const modelName of modelNames) expect(names.some((name) => name.includes(`/${modelName}/`))).toBe(true);
    await expect.poll(() => page.getByTestId('notice').filter({ hasText: 'Downloaded' }).count()).toBeGreaterThanOrEqual(1);
  });

  it('reopens the stored comparison after a reload, without running a job', async () => {
    const jobsBefore = (await api.jobs.list()).length;
    await page.reload();
    await page.locator('.compare-route[data-connection="ready"]').waitFor({ timeout: 30_000 });
    const detail = page.getByTestId('compare-detail');
    await expect.poll(() => detail.getAttribute('data-comparison-id')).toBe(String(comparisonId));
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(3);
    expect(await page.getByTestId('preference-tally').getAttribute('data-recorded')).toBe('1');
    expect((await api.jobs.list()).length).toBe(jobsBefore);
  });

  it('takes screenshots of the view, with no console errors on the way', async () => {
    const dismiss = page.getByTestId('notice').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.locator('.compare-scroll').evaluate((element) => element.scrollTo(0, 0));
    const top = path.join(SCREENSHOT_DIR, 'compare.png');
    await page.screenshot({ path: top });
    expect(fs.statSync(top).size).toBeGreaterThan(30_000);
    // "Yang & Lerch" scrolls the wide table to its overlap columns.
    const lastOverlap = page.locator('[data-testid="compare-row"]').nth(1).getByTestId('oa-cell').last();
    const viewportRight = async () => (await page.locator('.compare-table-scroll').boundingBox())!;
    const frame = await viewportRight();
    expect((await lastOverlap.boundingBox())!.x).toBeGreaterThan(frame.x + frame.width);
    await page.getByTestId('compare-jump-yang-lerch').click();
    await expect.poll(async () => (await lastOverlap.boundingBox())!.x + (await lastOverlap.boundingBox())!.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-yang-lerch.png') });
    await page.getByTestId('compare-jump-likelihood').click();

    // The whole workspace at once: a window tall enough for all of it, the cursor on a histogram.
    const contentHeight = await page.locator('.compare-scroll').evaluate((element) => element.scrollHeight);
    await page.setViewportSize({ width: 1440, height: Math.min(4000, contentHeight + 120) });
    const over = page.locator('[data-histogram="pitchClass"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.58, box.y + box.height * 0.5);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'compare-full.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(browser.problems).toEqual([]);
  });
});
