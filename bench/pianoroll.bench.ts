/**
 * pianoroll-frame: how long the piano roll takes to draw a frame of a 50,000-note clip while it is
 * scrolled and zoomed, in Debian's Chromium (headless, software rendering: no GPU here) against the
 * real browser-mode server.
 *
 * A seeded 8-track piece of 50,000 notes (a 4/4 → 3/4 → 4/4 meter map, so bar lines follow changes)
 * is written as a .mid, imported through the API, and copied into a clip with clips.create; the page
 * opens that clip in the editor through the UI. Then, for a few seconds, every animation frame
 * scrolls the roll sideways and a little vertically, and every 40 frames a Ctrl+wheel zooms in or
 * out (cycling between about 4 and 60 pixels per quarter, i.e. from a few bars to ~70 bars in view,
 * with every track's notes drawn: the edited one and seven ghost tracks).
 *
 * The measure is each frame's main-thread time: from the first animation-frame callback to a message
 * posted there, which is delivered once the frame is rendered (the editor's drawing, style, layout,
 * paint and the canvases' rasterisation, which Chromium does after the callbacks). `ours` is its
 * mean in ms per frame; the notes give its median, 95th percentile and maximum (on this shared
 * 2-core machine the tail mostly follows what else is running), the editor's drawing alone (its own
 * performance.measure('pianoroll-draw'), read with a PerformanceObserver), the requestAnimationFrame
 * interval and the zoomed-to-fit worst case. ref=none: there is no reference implementation here.
 *
 * Uses the built renderer and server (.build/); builds them first when missing or older than the
 * sources. Skipped when no Chromium is installed.
 */
import { Midi } from '@tonejs/midi';
import WebSocket from 'ws';
import { createStudioClient, type StudioApi } from '../core/ipc/client';
import { mulberry32 } from '../core/music/split';
import { socketUrlFor } from '../renderer/src/transport/pick-studio';
import { createWebSocketTransport, type WebSocketConstructor } from '../renderer/src/transport/ws-transport';
import { openBrowser } from '../test/e2e/support/browser';
import { startStudioProcess } from '../test/e2e/support/studio-process';
import { chromiumPath } from '../test/support/chromium';
import type { Bench, BenchResult, BenchSkipped } from './run';
import { ensureBuilt } from './support/browser-build';

const NOTES = 50_000;
const TRACKS = 8;
const SEED = 50_000;
const MEASURE_SECONDS = 6;
const WARMUP_SECONDS = 1.5;

/** Eight voices in their own registers, mostly sixteenths and eighths, seeded: the same bytes every run. */
export function benchPieceBytes(): Uint8Array {
  const random = mulberry32(SEED);
  const midi = new Midi();
  midi.header.setTempo(110);
  const ppq = midi.header.ppq;
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  const perTrack = NOTES / TRACKS;
  // About 780 bars of sixteenths and eighths: a 3/4 stretch in the middle.
  midi.header.timeSignatures.push({ ticks: ppq * 4 * 300, timeSignature: [3, 4] });
  midi.header.timeSignatures.push({ ticks: ppq * 4 * 300 + ppq * 3 * 100, timeSignature: [4, 4] });
  for (let index = 0; index < TRACKS; index++) {
    const track = midi.addTrack();
    track.name = `Voice ${index + 1}`;
    track.channel = index;
    const low = 36 + index * 6;
    let pitch = low + 6;
    let ticks = 0;
    for (let note = 0; note < perTrack; note++) {
      pitch = Math.min(low + 14, Math.max(low, pitch + Math.floor(random() * 5) - 2));
      const step = random() < 0.7 ? ppq / 4 : ppq / 2;
      track.addNote({ midi: pitch, ticks, durationTicks: Math.round(step * (0.6 + random() * 0.4)), velocity: 0.3 + random() * 0.6 });
      ticks += step;
    }
  }
  return midi.toArray();
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

async function importClip(api: StudioApi): Promise<number> {
  const base64 = Buffer.from(benchPieceBytes()).toString('base64');
  const { jobId } = await api.corpora.importFiles({ corpusName: 'Bench 50k', files: [{ relativePath: 'bench-50k.mid', base64 }] });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = await api.jobs.get({ jobId });
    if (job.status === 'done') break;
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`The import ${job.status}: ${job.error ?? job.message}`);
    if (Date.now() > deadline) throw new Error('The import did not finish within 2 minutes.');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const corpus = (await api.corpora.list()).find((candidate) => candidate.name === 'Bench 50k');
  if (!corpus) throw new Error('The imported corpus is missing.');
  const [piece] = await api.corpora.pieces({ corpusId: corpus.id });
  if (!piece || piece.noteCount !== NOTES) throw new Error(`Expected one piece of ${NOTES} notes, got ${piece?.noteCount ?? 'none'}.`);
  const clip = await api.clips.create({ from: { pieceId: piece.id }, name: 'Bench 50k' });
  return clip.id;
}

/** Runs in the page: scroll and zoom for `seconds`, collecting draw durations and frame intervals. */
const DRIVE_SCRIPT = (seconds: number, record: boolean) => `(async () => {
  const scroller = document.querySelector('[data-testid="editor-scroller"]');
  const canvas = document.querySelector('[data-testid="editor-canvas"]');
  const draws = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'pianoroll-draw') draws.push(entry.duration);
  });
  observer.observe({ entryTypes: ['measure'] });
  const intervals = [];
  const frames = [];
  // A message posted from the first animation-frame callback is delivered after the frame's rendering
  // (the editor's drawing, style, layout, paint and the canvases' rasterisation): their sum is the frame's cost.
  const channel = new MessageChannel();
  let frameStart = 0;
  channel.port1.onmessage = () => frames.push(performance.now() - frameStart);
  let zoomDirection = -1;
  let frame = 0;
  let last = performance.now();
  const end = last + ${seconds} * 1000;
  await new Promise((resolve) => {
    const step = (now) => {
      frameStart = performance.now();
      channel.port2.postMessage(0);
      intervals.push(now - last);
      last = now;
      frame++;
      const width = scroller.scrollWidth - scroller.clientWidth;
      scroller.scrollLeft = scroller.scrollLeft + 37 >= width ? 0 : scroller.scrollLeft + 37;
      scroller.scrollTop = 300 + Math.round(200 * Math.sin(frame / 25));
      if (frame % 40 === 0) {
        const zoom = Number(canvas.dataset.pxPerQuarter);
        if (zoom < 5) zoomDirection = 1;
        if (zoom > 55) zoomDirection = -1;
        const box = scroller.getBoundingClientRect();
        scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: zoomDirection * -300, ctrlKey: true, clientX: box.left + box.width / 2, clientY: box.top + 100, bubbles: true, cancelable: true }));
      }
      if (now < end) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
  observer.disconnect();
  channel.port1.close();
  return ${record} ? { draws, frames, intervals: intervals.slice(1) } : { draws: [], frames: [], intervals: [] };
})()`;

/** Zoom to fit (every note in view) a few times: the worst case. */
const FIT_SCRIPT = `(async () => {
  const draws = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'pianoroll-draw') draws.push(entry.duration);
  });
  observer.observe({ entryTypes: ['measure'] });
  const scroller = document.querySelector('[data-testid="editor-scroller"]');
  for (let round = 0; round < 6; round++) {
    document.querySelector('[data-testid="zoom-fit"]').click();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    scroller.scrollTop = 200 + round * 60;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
  observer.disconnect();
  return draws;
})()`;

async function run(): Promise<BenchResult | BenchSkipped> {
  if (!chromiumPath) return { skipped: 'no Chromium found (apt-get install chromium, or set STUDIO_CHROMIUM)' };
  const buildNotes = ensureBuilt();
  const studio = await startStudioProcess();
  const url = new URL(studio.url);
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string) {
      super(address, { origin: url.origin });
    }
  }
  const transport = createWebSocketTransport(socketUrlFor({ protocol: url.protocol, host: url.host, search: url.search }), {
    WebSocketImpl: BrowserLikeSocket as unknown as WebSocketConstructor,
  });
  const browser = await openBrowser();
  try {
    const api = createStudioClient(transport);
    const clipId = await importClip(api);
    const page = browser.page;
    await page.goto(studio.url);
    await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('models-nav').click();
    await page.locator(`[data-testid="clip-row"][data-clip-id="${clipId}"]`).getByTestId('open-in-editor').click();
    await page.locator(`[data-testid="editor-note-count"][data-count="${NOTES}"]`).waitFor({ timeout: 60_000 });
    await page.getByTestId('editor-canvas').waitFor();
    await page.evaluate(DRIVE_SCRIPT(WARMUP_SECONDS, false));
    const { draws, frames, intervals } = (await page.evaluate(DRIVE_SCRIPT(MEASURE_SECONDS, true))) as { draws: number[]; frames: number[]; intervals: number[] };
    const fit = ((await page.evaluate(FIT_SCRIPT)) as number[]).sort((a, b) => a - b);
    if (draws.length < 30) throw new Error(`Only ${draws.length} frames were drawn: the editor is not drawing.`);
    if (browser.problems.some((problem) => problem.startsWith('page error'))) throw new Error(browser.problems.join('\n'));
    const sortedFrames = [...frames].sort((a, b) => a - b);
    const sortedDraws = [...draws].sort((a, b) => a - b);
    const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const sortedIntervals = [...intervals].sort((a, b) => a - b);
    const note = [
      `mean of ${frames.length} frames' main-thread time (animation-frame callbacks through paint and canvas rasterisation) over ${MEASURE_SECONDS} s of scrolling and Ctrl+wheel zooming a ${NOTES.toLocaleString('en')}-note, ${TRACKS}-track clip (target ≤ 8 ms)`,
      `frame: median ${percentile(sortedFrames, 0.5).toFixed(2)} ms, p95 ${percentile(sortedFrames, 0.95).toFixed(2)} ms, max ${sortedFrames[sortedFrames.length - 1]!.toFixed(2)} ms`,
      `the editor's drawing alone (performance.measure 'pianoroll-draw', ${draws.length} draws): mean ${mean(draws).toFixed(2)} ms, p95 ${percentile(sortedDraws, 0.95).toFixed(2)} ms`,
      `requestAnimationFrame interval: median ${percentile(sortedIntervals, 0.5).toFixed(1)} ms, p95 ${percentile(sortedIntervals, 0.95).toFixed(1)} ms`,
      `zoomed to fit (all ${NOTES.toLocaleString('en')} notes in view): median ${percentile(fit, 0.5).toFixed(2)} ms, max ${fit[fit.length - 1]?.toFixed(2) ?? 'n/a'} ms`,
      'headless Debian Chromium, --disable-gpu (software raster), 1440×900, devicePixelRatio 1',
      ...buildNotes,
    ].join('\n');
    return { ours: mean(frames), ref: null, unit: 'ms', note };
  } finally {
    transport.close();
    await browser.close();
    await studio.stop();
  }
}

export const benches: Bench[] = [{ name: 'pianoroll-frame', run }];
