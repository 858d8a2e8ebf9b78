/**
 * The lookahead scheduler with a fake clock and timer, sending to a Web MIDI sink whose port records
 * every message with its timestamp: exact bytes and times for the known clip (with its tempo
 * change), tempo override, loop wrap, mute/solo, metronome, count-in, seek, stop, panic, and what
 * happens when an output fails.
 */
import { describe, expect, it } from 'vitest';
import { createPlayback, type PlaybackEngine } from '../../../renderer/src/playback/engine';
import { createMidiSink } from '../../../renderer/src/playback/midi-sink';
import { OutputUnavailableError } from '../../../renderer/src/playback/output-sink';
import type { TrackPlayback } from '../../../renderer/src/playback/playback-api';
import { advance, clockTimes, FakeClock, knownClip, lines, ManualTimer, RecordingPort, recordingSink } from './playback-fakes';

const TICK_MS = 500 / 480;
/** play() starts 20 ms after "now" (the clock starts at 1000). */
const ORIGIN = 1020;

interface Rig {
  readonly clock: FakeClock;
  readonly timer: ManualTimer;
  readonly port: RecordingPort;
  readonly engine: PlaybackEngine;
  readonly problems: string[];
  readonly internal: string[];
}

function rig(tracks: readonly TrackPlayback[] = []): Rig {
  const clock = new FakeClock(1000);
  const timer = new ManualTimer();
  const port = new RecordingPort(clock);
  const problems: string[] = [];
  const internal: string[] = [];
  const engine = createPlayback({
    clock,
    timer,
    sinkFor: (output) => {
      if (output.kind === 'internal') return recordingSink(clock, internal);
      if (output.outputId !== port.id) throw new OutputUnavailableError(`The MIDI output “${output.outputId}” is not connected.`);
      return createMidiSink(port);
    },
    onProblem: (message) => problems.push(message),
  });
  engine.setMusic(knownClip(), tracks);
  engine.setOutput({ kind: 'midi', outputId: port.id });
  return { clock, timer, port, engine, problems, internal };
}

const PROGRAMS = ['C0 00 @0', 'C1 21 @0'];

/** The latest timestamp handed to the port so far, relative to ORIGIN as `lines` writes it. */
function lastQueued(port: RecordingPort): number {
  return Number((Math.max(...port.sent.map((message) => message.at)) - ORIGIN).toFixed(3));
}

describe('playback engine: the known clip on a MIDI output', () => {
  it('sends program changes, Start, notes on their channels and note-offs at the tempo map’s times', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 2950);
    expect(lines(port.sent, ORIGIN)).toEqual([
      ...PROGRAMS,
      'FA @0',
      '90 3C 64 @0',
      '91 30 46 @0',
      '80 3C 40 @500',
      '90 40 5A @1000',
      '80 40 40 @1500',
      // The bass ends and G4 starts at bar 2, where the tempo halves: G4 lasts 1000 ms.
      '81 30 40 @2000',
      '90 43 50 @2000',
      '80 43 40 @3000',
      // The end: all-notes-off on the channels in use and Stop, timed at the end of the music.
      'B0 7B 00 @3000',
      'B1 7B 00 @3000',
      'FC @3000',
    ]);
    expect(engine.getState().playing).toBe(true);
  });

  it('sends MIDI clock at 24 per quarter, following the tempo change, then stops at the end', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 3200);
    const clocks = clockTimes(port.sent, ORIGIN);
    // 2400 ticks = 10 quarters = 120 clocks, every 20 ticks: 20.833 ms at 120 bpm, 41.667 ms at 60.
    expect(clocks).toHaveLength(120);
    clocks.forEach((at, index) => {
      const expected = index < 96 ? index * 20 * TICK_MS : 2000 + (index - 96) * 20 * TICK_MS * 2;
      expect(at).toBeCloseTo(expected, 6);
    });
    // The music ends at 3000 ms: playback stops by itself and returns to the start.
    advance(clock, timer, 100);
    expect(engine.getState()).toMatchObject({ playing: false, positionTicks: 0 });
    const tail = lines(port.sent, ORIGIN).slice(-3);
    expect(tail).toEqual(['B0 7B 00 @3000', 'B1 7B 00 @3000', 'FC @3000']);
  });

  it('never hands a message to the port more than the lookahead (100 ms) before its time, nor after it', () => {
    const { clock, timer, port, engine } = rig();
    engine.setMetronome(true);
    engine.play();
    advance(clock, timer, 3300);
    expect(port.sent.length).toBeGreaterThan(130);
    for (const message of port.sent) {
      expect(message.at - message.sentAt).toBeLessThanOrEqual(100);
      expect(message.at).toBeGreaterThanOrEqual(message.sentAt);
    }
  });

  it('scales the whole tempo map by an override (240 bpm against 120: twice as fast, the slow-down kept)', () => {
    const { clock, timer, port, engine } = rig();
    engine.setTempoOverride(240);
    expect(engine.getState()).toMatchObject({ tempoOverrideBpm: 240, pieceBpm: 120, tempoFactor: 2 });
    expect(engine.tempo().bpmAt(1920)).toBe(120);
    engine.play();
    advance(clock, timer, 1700);
    expect(lines(port.sent, ORIGIN).filter((line) => line.startsWith('9') || line.startsWith('8'))).toEqual([
      '90 3C 64 @0',
      '91 30 46 @0',
      '80 3C 40 @250',
      '90 40 5A @500',
      '80 40 40 @750',
      '81 30 40 @1000',
      '90 43 50 @1000',
      '80 43 40 @1500',
    ]);
  });

  it('follows an override changed while playing from where it has scheduled to', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 400); // now 1400: scheduled up to 1500 (tick 460.8)
    const cursorTicks = (1500 - ORIGIN) / TICK_MS;
    engine.setTempoOverride(60); // half speed from the cursor on
    clock.ms = 1500;
    expect(engine.currentTicks()).toBeCloseTo(cursorTicks, 6);
    clock.ms = 1600;
    expect(engine.currentTicks()).toBeCloseTo(cursorTicks + 100 / (TICK_MS * 2), 6);
    advance(clock, timer, 3000);
    // A note already started keeps the end it was given; everything after follows the new tempo.
    const offC4 = port.sent.find((message) => message.bytes[0] === 0x80 && message.bytes[1] === 60)!;
    expect(offC4.at).toBeCloseTo(ORIGIN + 500, 6);
    const onE4 = port.sent.find((message) => message.bytes[0] === 0x90 && message.bytes[1] === 64)!;
    expect(onE4.at).toBeCloseTo(1500 + (960 - cursorTicks) * TICK_MS * 2, 6);
  });
});

describe('playback engine: loop, mute and solo, metronome, count-in', () => {
  it('wraps a loop seamlessly: notes cut at the loop end, Stop/Song Position/Continue, the next pass on time', () => {
    const { clock, timer, port, engine } = rig();
    engine.setLoop({ startTicks: 0, endTicks: 960 });
    engine.play();
    advance(clock, timer, 2000);
    expect(lines(port.sent, ORIGIN)).toEqual([
      ...PROGRAMS,
      'FA @0',
      '90 3C 64 @0',
      '91 30 46 @0',
      '80 3C 40 @500',
      '81 30 40 @1000',
      'FC @1000',
      'F2 00 00 @1000',
      'FB @1000',
      '90 3C 64 @1000',
      '91 30 46 @1000',
      '80 3C 40 @1500',
      '81 30 40 @2000',
      'FC @2000',
      'F2 00 00 @2000',
      'FB @2000',
      '90 3C 64 @2000',
      '91 30 46 @2000',
    ]);
    // 48 clocks per pass (960 ticks), none doubled at the wrap.
    const clocks = clockTimes(port.sent, ORIGIN).filter((at) => at < 2000);
    expect(clocks).toHaveLength(96);
    clocks.forEach((at, index) => expect(at).toBeCloseTo(index * 20 * TICK_MS, 6));
    // The playhead follows the passes.
    clock.ms = ORIGIN + 1250;
    expect(engine.currentTicks()).toBeCloseTo(240, 6);
  });

  it('plays only soloed tracks, skips muted ones, and silences a track muted while it sounds', () => {
    const solo: TrackPlayback[] = [
      { muted: false, solo: false, channel: 0, program: 0 },
      { muted: false, solo: true, channel: 1, program: 33 },
    ];
    const soloed = rig(solo);
    soloed.engine.play();
    advance(soloed.clock, soloed.timer, 1200);
    expect(lines(soloed.port.sent, ORIGIN).filter((line) => /^[89]/.test(line))).toEqual(['91 30 46 @0']);

    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 300); // bass C3 sounding
    engine.setMusic(knownClip(), [
      { muted: false, solo: false, channel: 0, program: 0 },
      { muted: true, solo: false, channel: 1, program: 33 },
    ]);
    advance(clock, timer, 3000);
    const notes = lines(port.sent, ORIGIN).filter((line) => /^[89]/.test(line));
    expect(notes).toEqual(['90 3C 64 @0', '91 30 46 @0', '81 30 40 @280', '80 3C 40 @500', '90 40 5A @1000', '80 40 40 @1500', '90 43 50 @2000', '80 43 40 @3000']);
  });

  it('sends a program change while playing when the editor changes a track’s program', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 100);
    engine.setMusic(knownClip(), [
      { muted: false, solo: false, channel: 0, program: 40 },
      { muted: false, solo: false, channel: 1, program: 33 },
    ]);
    expect(lines(port.sent, ORIGIN)).toContain('C0 28 @80');
  });

  it('clicks every beat with the downbeat accented, following the meter (3/4 here)', () => {
    const { clock, timer, port, engine } = rig();
    engine.setMusic({ ...knownClip(), timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }] }, []);
    engine.setMetronome(true);
    engine.play();
    advance(clock, timer, 2100);
    const clicks = lines(port.sent, ORIGIN).filter((line) => line.startsWith('99') || line.startsWith('89'));
    expect(clicks).toEqual([
      '99 4C 6E @0',
      '89 4C 40 @30',
      '99 4D 50 @500',
      '89 4D 40 @530',
      '99 4D 50 @1000',
      '89 4D 40 @1030',
      '99 4C 6E @1500',
      '89 4C 40 @1530',
      // Beat 2 of bar 2 is tick 1920, where the tempo halves.
      '99 4D 50 @2000',
      '89 4D 40 @2030',
    ]);
  });

  it('counts in one bar of clicks, then starts the transport and the music at the position', () => {
    const { clock, timer, port, engine } = rig();
    engine.play({ countInBars: 1 });
    advance(clock, timer, 2300);
    const sent = lines(port.sent, ORIGIN);
    expect(sent.slice(0, 12)).toEqual([
      ...PROGRAMS,
      '99 4C 6E @0',
      '89 4C 40 @30',
      '99 4D 50 @500',
      '89 4D 40 @530',
      '99 4D 50 @1000',
      '89 4D 40 @1030',
      '99 4D 50 @1500',
      '89 4D 40 @1530',
      'FA @2000',
      '90 3C 64 @2000',
    ]);
    // No clicks after the count-in (the metronome is off), and clock only from Start.
    expect(sent.filter((line) => line.startsWith('99')).length).toBe(4);
    expect(clockTimes(port.sent, ORIGIN)[0]).toBeCloseTo(2000, 6);
    clock.ms = ORIGIN + 1000;
    expect(engine.currentTicks()).toBe(0);
  });
});

describe('playback engine: stop, seek, panic, audition', () => {
  it('stops within the lookahead: note-offs now (or as a queued note starts), then all-notes-off and Stop', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 950); // now 1950: E4 (at 2020) is already queued
    const before = port.sent.length;
    const quiet = lastQueued(port);
    expect(quiet).toBeGreaterThan(1000);
    engine.stop();
    const after = lines(port.sent.slice(before), ORIGIN);
    expect(after).toEqual(['81 30 40 @930', '80 40 40 @1000', `B0 7B 00 @${quiet}`, `B1 7B 00 @${quiet}`, `FC @${quiet}`]);
    expect(Math.max(...port.sent.map((message) => message.at))).toBeLessThanOrEqual(1950 + 100);
    expect(engine.getState().playing).toBe(false);
    expect(engine.getState().positionTicks).toBeCloseTo((1950 - ORIGIN) / TICK_MS, 6);
    expect(timer.running).toBe(false);
    // A second stop returns to the start and tells the receiver.
    engine.stop();
    expect(engine.getState().positionTicks).toBe(0);
    expect(lines(port.sent, ORIGIN).at(-1)).toBe('F2 00 00 @930');
  });

  it('seeks while playing: Stop, Song Position (LSB first) and Continue, clock from that sixteenth', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 200); // now 1200, scheduled to 1300
    const before = port.sent.length;
    const quiet = lastQueued(port);
    engine.seek(1920);
    advance(clock, timer, 200);
    const after = port.sent.slice(before);
    // Sounding notes end now; the new position starts once the old queue has drained.
    expect(lines(after, ORIGIN).slice(0, 8)).toEqual([
      '80 3C 40 @180',
      '81 30 40 @180',
      `B0 7B 00 @${quiet}`,
      `B1 7B 00 @${quiet}`,
      `FC @${quiet}`,
      `F2 10 00 @${quiet}`,
      `FB @${quiet}`,
      `90 43 50 @${quiet}`,
    ]);
    expect(after.find((message) => message.bytes[0] === 0xf8 && message.at >= ORIGIN + quiet)!.at).toBeCloseTo(ORIGIN + quiet, 2);
    // Far positions need both bytes: sixteenth 200 = 0x48 + 0x01·128.
    engine.stop();
    engine.seek(200 * 120);
    expect(lines(port.sent, ORIGIN).at(-1)).toBe('F2 48 01 @380');
    // Off a sixteenth: rounded up to the next, where the first clock will fall.
    engine.seek(130);
    expect(lines(port.sent, ORIGIN).at(-1)).toBe('F2 02 00 @380');
  });

  it('panics: CC 120, 123, 121 on all 16 channels, explicit note-offs for sounding notes, Stop', () => {
    const { clock, timer, port, engine } = rig();
    engine.play();
    advance(clock, timer, 200);
    const before = port.sent.length;
    const quiet = lastQueued(port);
    engine.panic();
    const after = lines(port.sent.slice(before), ORIGIN);
    const expectedControllers: string[] = [];
    for (let channel = 0; channel < 16; channel++) {
      const status = (0xb0 + channel).toString(16).toUpperCase();
      expectedControllers.push(`${status} 78 00 @180`, `${status} 7B 00 @180`, `${status} 79 00 @180`);
    }
    expect(after).toEqual([...expectedControllers, '80 3C 40 @180', '81 30 40 @180', `FC @${quiet}`]);
    expect(engine.getState().playing).toBe(false);
    // Nothing more is sent.
    const count = port.sent.length;
    advance(clock, timer, 500);
    expect(port.sent.length).toBe(count);
  });

  it('auditions a note with its track’s program, and ends it 300 ms later', () => {
    const { clock, timer, port, engine } = rig();
    engine.audition(72, 90, { muted: false, solo: false, channel: 3, program: 19 });
    advance(clock, timer, 400);
    expect(lines(port.sent, 1000)).toEqual(['C3 13 @0', '93 48 5A @0', '83 48 40 @300']);
    expect(timer.running).toBe(false);
  });

  it('refuses bad input with a clear error', () => {
    const { engine } = rig();
    expect(() => engine.setLoop({ startTicks: 960, endTicks: 960 })).toThrow('A loop region needs 0 ≤ start < end');
    expect(() => engine.seek(-1)).toThrow('A position is a tick at 0 or later');
    expect(() => engine.setTempoOverride(0)).toThrow('A tempo is 10 to 999');
    expect(() => engine.setMusic(knownClip(), [{ muted: false, solo: false, channel: 16, program: 0 }])).toThrow('Track 1 (“Piano”): a MIDI channel is 0..15 (got 16).');
    expect(() => engine.audition(128, 100)).toThrow('A pitch is 0..127');
  });
});

describe('playback engine: outputs', () => {
  it('falls back to the internal synth, stopped, with a message, when the MIDI output fails mid-play', () => {
    const { clock, timer, port, engine, problems, internal } = rig();
    engine.play();
    advance(clock, timer, 100);
    port.failWith = Object.assign(new Error('The port is disconnected.'), { name: 'InvalidStateError' });
    advance(clock, timer, 100);
    expect(engine.getState()).toMatchObject({ playing: false, output: { kind: 'internal' } });
    expect(problems).toEqual(['Sending to “Fake Synth” failed (The port is disconnected.). Playback stopped and switched to the internal synth.']);
    expect(internal.filter((line) => !line.startsWith('close'))).toEqual([]);
  });

  it('stops and falls back when the active output is lost, and ignores other outputs going', () => {
    const { clock, timer, engine, problems } = rig();
    engine.play();
    advance(clock, timer, 100);
    engine.outputLost('another', 'gone');
    expect(engine.getState().playing).toBe(true);
    engine.outputLost('out-1', 'The MIDI output “Fake Synth” was disconnected.');
    expect(engine.getState()).toMatchObject({ playing: false, output: { kind: 'internal' } });
    expect(problems).toEqual(['The MIDI output “Fake Synth” was disconnected.']);
    expect(timer.running).toBe(false);
  });

  it('keeps the current output when a chosen one cannot be used, and says why', () => {
    const { engine, problems } = rig();
    engine.setOutput({ kind: 'midi', outputId: 'missing' });
    expect(problems).toEqual(['The MIDI output “missing” is not connected.']);
    expect(engine.getState().output).toEqual({ kind: 'internal' });
  });

  it('moves playing music to another output without stopping it', () => {
    const { clock, timer, port, engine, internal } = rig();
    engine.play();
    advance(clock, timer, 300);
    const quiet = lastQueued(port);
    engine.setOutput({ kind: 'internal' });
    expect(engine.getState().playing).toBe(true);
    expect(lines(port.sent, ORIGIN).slice(-3)).toEqual([`B0 7B 00 @${quiet}`, `B1 7B 00 @${quiet}`, `FC @${quiet}`]);
    advance(clock, timer, 900);
    expect(internal.some((line) => line.startsWith('on 0 64 90'))).toBe(true);
  });
});
