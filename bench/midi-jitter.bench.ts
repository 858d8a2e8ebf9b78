/**
 * midi-jitter: how far from its intended time each MIDI message leaves, when the studio plays a
 * dense clip to a MIDI output in Debian's Chromium (headless) against the real browser-mode server.
 *
 * The page gets a recording MIDIAccess (test/e2e/midi-fake-access.ts, injected before its scripts),
 * so every `send(data, timestamp)` is recorded with performance.now() at the call. The clip: two
 * voices of sixteenth notes at 120 bpm for 10 seconds (160 notes, 320 note messages) plus MIDI clock
 * (480 pulses) and the metronome, on the playback test page (#playback-test&clip=N), output "Fake
 * Synth", played to its end.
 *
 * Intended time of a message = the Start (FA) timestamp + its tick's time on the tempo map, computed
 * here independently of the page. A message leaves at its timestamp, or at once if it was handed to
 * the port after its timestamp (late), so its "sent time" is max(timestamp, time of the send call).
 * `ours` = the largest |sent time − intended time| over all messages, in ms. The notes give the
 * timestamps alone (which the scheduler computes from the tempo map, so they should be exact), how
 * many messages were late, the lead (how long before its time each message was queued: never more
 * than the 100 ms lookahead), and the same measure with the page's main thread busy 8 ms of every
 * animation frame (an editor drawing at its frame budget). ref=none: no reference implementation.
 *
 * Uses the built renderer and server (.build/); builds them first when missing or older than the
 * sources. Skipped when no Chromium is installed.
 */
import type { Note, Piece } from '../core/music/types';
import { clipOf, connectStudio, fakeMidiScript, type SentRecord } from '../test/e2e/midi-fake-access';
import { openBrowser } from '../test/e2e/support/browser';
import { startStudioProcess } from '../test/e2e/support/studio-process';
import { chromiumPath } from '../test/support/chromium';
import type { Bench, BenchResult, BenchSkipped } from './run';
import { ensureBuilt } from './support/browser-build';

const PPQ = 480;
const BPM = 120;
const SECONDS = 10;
const SIXTEENTH = PPQ / 4;
const MS_PER_TICK = 60_000 / (BPM * PPQ);
const LOOKAHEAD_MS = 100;
/** Main-thread work per animation frame in the loaded run (the editor's frame budget). */
const BUSY_MS_PER_FRAME = 8;

/** A melody and a bass line of sixteenth notes for SECONDS at BPM (8 sixteenths a second each). */
export function denseClip(): Piece {
  const count = (SECONDS * BPM * 4) / 60;
  const notes = (low: number, span: number, velocity: number): Note[] =>
    Array.from({ length: count }, (_, index) => {
      const ticks = index * SIXTEENTH;
      const durationTicks = SIXTEENTH - 20;
      return { ticks, durationTicks, pitch: low + ((index * 5) % span), velocity, time: (ticks * MS_PER_TICK) / 1000, duration: (durationTicks * MS_PER_TICK) / 1000 };
    });
  const durationTicks = count * SIXTEENTH;
  return {
    name: 'Jitter sixteenths',
    ppq: PPQ,
    tempos: [{ ticks: 0, bpm: BPM }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: [
      { name: 'Melody', channel: 0, program: 0, isDrum: false, notes: notes(60, 24, 96), controlChanges: [] },
      { name: 'Bass', channel: 1, program: 33, isDrum: false, notes: notes(36, 12, 80), controlChanges: [] },
    ],
    durationTicks,
    duration: (durationTicks * MS_PER_TICK) / 1000,
  };
}

/** The intended offsets (ms from Start) of every note message, per "status pitch" key, in order. */
function intendedNoteTimes(piece: Piece): Map<string, number[]> {
  const times = new Map<string, number[]>();
  const add = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);
  for (const track of piece.tracks) {
    for (const note of track.notes) {
      add(`${0x90 | track.channel} ${note.pitch}`, note.ticks * MS_PER_TICK);
      add(`${0x80 | track.channel} ${note.pitch}`, (note.ticks + note.durationTicks) * MS_PER_TICK);
    }
  }
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

interface RunMeasure {
  /** max |max(timestamp, sentAt) − intended| */
  readonly worst: number;
  /** max |timestamp − intended| */
  readonly worstTimestamp: number;
  readonly late: number;
  readonly worstLate: number;
  readonly minLead: number;
  readonly maxLead: number;
  readonly measured: number;
  readonly clocks: number;
}

function measure(piece: Piece, sent: readonly SentRecord[]): RunMeasure {
  const start = sent.find(([, bytes]) => bytes[0] === 0xfa);
  if (!start) throw new Error('No MIDI Start (FA) was sent: playback did not start on the fake output.');
  const origin = start[2];
  const expected = intendedNoteTimes(piece);
  const cursor = new Map<string, number>();
  let clockIndex = 0;
  let worst = 0;
  let worstTimestamp = 0;
  let late = 0;
  let worstLate = 0;
  let minLead = Infinity;
  let maxLead = -Infinity;
  let measured = 0;
  for (const [, bytes, timestamp, sentAt] of sent) {
    let intended: number | undefined;
    const status = bytes[0]!;
    if (status === 0xf8) {
      intended = origin + clockIndex * (PPQ / 24) * MS_PER_TICK;
      clockIndex++;
    } else if ((status & 0xf0) === 0x90 || (status & 0xf0) === 0x80) {
      if ((status & 0x0f) === 9) continue; // metronome clicks
      const key = `${status} ${bytes[1]}`;
      const index = cursor.get(key) ?? 0;
      cursor.set(key, index + 1);
      const offset = expected.get(key)?.[index];
      if (offset === undefined) throw new Error(`Unexpected message ${bytes.join(' ')} (#${index + 1} of its kind).`);
      intended = origin + offset;
    }
    if (intended === undefined) continue;
    measured++;
    const leaves = Math.max(timestamp, sentAt);
    worst = Math.max(worst, Math.abs(leaves - intended));
    worstTimestamp = Math.max(worstTimestamp, Math.abs(timestamp - intended));
    if (sentAt > timestamp) {
      late++;
      worstLate = Math.max(worstLate, sentAt - timestamp);
    }
    minLead = Math.min(minLead, timestamp - sentAt);
    maxLead = Math.max(maxLead, timestamp - sentAt);
  }
  const expectedMessages = [...expected.values()].reduce((sum, list) => sum + list.length, 0);
  if (measured - clockIndex !== expectedMessages) throw new Error(`Expected ${expectedMessages} note messages, measured ${measured - clockIndex}.`);
  return { worst, worstTimestamp, late, worstLate, minLead, maxLead, measured, clocks: clockIndex };
}

function describeRun(label: string, run: RunMeasure): string {
  return (
    `${label}: worst ${run.worst.toFixed(3)} ms over ${run.measured} messages (${run.clocks} clocks); timestamps alone ${run.worstTimestamp.toFixed(6)} ms; ` +
    `${run.late} late (worst ${run.worstLate.toFixed(2)} ms); queued ${run.minLead.toFixed(1)}–${run.maxLead.toFixed(1)} ms ahead (lookahead ${LOOKAHEAD_MS} ms)`
  );
}

async function run(): Promise<BenchResult | BenchSkipped> {
  if (!chromiumPath) return { skipped: 'no Chromium found (apt-get install chromium, or set STUDIO_CHROMIUM)' };
  const buildNotes = ensureBuilt();
  const piece = denseClip();
  const studio = await startStudioProcess();
  try {
    const client = connectStudio(studio.url);
    let clipId: number;
    try {
      clipId = await clipOf(client.studio, piece);
    } finally {
      client.close();
    }
    const url = new URL(studio.url);
    url.hash = `playback-test&clip=${clipId}`;

    const playOnce = async (busy: boolean): Promise<RunMeasure> => {
      const browser = await openBrowser();
      try {
        await browser.context.addInitScript({ content: fakeMidiScript({ outputs: [{ id: 'out-1', name: 'Fake Synth' }], inputs: [] }) });
        const page = browser.page;
        await page.goto(url.toString());
        try {
          await page.locator('[data-testid="playback-test-music"][data-state="ready"]').waitFor({ timeout: 30_000 });
        } catch (error) {
          const shown = await page.locator('body').innerText().catch(() => '');
          throw new Error(`The playback test page did not load the clip (${error instanceof Error ? error.message.split('\n')[0] : String(error)}). Page: ${shown.slice(0, 300)} Problems: ${browser.problems.join('; ') || 'none'}`);
        }
        const select = page.getByTestId('midi-output-select');
        await page.locator('[data-testid="midi-output-select"] option[value="out-1"]').waitFor({ state: 'attached', timeout: 30_000 });
        await select.selectOption('out-1');
        await page.waitForFunction('document.querySelector(\'[data-testid="midi-output-select"]\').value === "out-1"');
        await page.getByTestId('transport-metronome').click();
        if (busy) {
          await page.evaluate(
            `(() => { const burn = () => { const end = performance.now() + ${BUSY_MS_PER_FRAME}; while (performance.now() < end) {} requestAnimationFrame(burn); }; requestAnimationFrame(burn); })()`,
          );
        }
        await page.getByTestId('transport-play').click();
        await page.locator('[data-testid="transport-bar"][data-playing="true"]').waitFor({ timeout: 5_000 });
        await page.locator('[data-testid="transport-bar"][data-playing="false"]').waitFor({ timeout: (SECONDS + 10) * 1000 });
        const sent = (await page.evaluate('window.__sent.slice()')) as SentRecord[];
        if (browser.problems.length > 0) throw new Error(`The page reported problems: ${browser.problems.join('; ')}`);
        return measure(piece, sent);
      } finally {
        await browser.close();
      }
    };

    const idle = await playOnce(false);
    const loaded = await playOnce(true);
    return {
      // To the microsecond: below that is floating-point noise in the page's arithmetic.
      ours: Math.round(idle.worst * 1000) / 1000,
      ref: null,
      unit: 'ms',
      note: [
        describeRun('idle page', idle),
        describeRun(`main thread busy ${BUSY_MS_PER_FRAME} ms per frame`, loaded),
        `clip: 2 voices of sixteenths at ${BPM} bpm for ${SECONDS} s, MIDI clock and metronome; headless Chromium, injected recording MIDIAccess`,
        ...buildNotes,
      ].join('\n'),
    };
  } finally {
    await studio.stop();
  }
}

export const benches: Bench[] = [{ name: 'midi-jitter', run }];
