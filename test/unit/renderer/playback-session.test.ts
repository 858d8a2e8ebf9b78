/**
 * The playback session with a fake Web MIDI backend: access with SysEx only when the setting says so,
 * device lists through hot-plug, a vanished output stopping playback, a busy port's message, and
 * recording from a MIDI input (transport time, free time, quantize, count-in, monitoring).
 */
import { describe, expect, it } from 'vitest';
import { PlaybackSession, type NoticeTone, type RecordedTake } from '../../../renderer/src/playback/session';
import { Take, parseNoteMessage } from '../../../renderer/src/playback/recorder';
import { tempoMapping } from '../../../renderer/src/playback/timeline';
import { advance, FakeBackend, FakeClock, hex, knownClip, ManualTimer, recordingSink } from './playback-fakes';

interface SessionRig {
  readonly clock: FakeClock;
  readonly timer: ManualTimer;
  readonly backend: FakeBackend;
  readonly session: PlaybackSession;
  readonly notices: { message: string; tone: NoticeTone }[];
  readonly settings: { midiSysex: boolean; updates: boolean[] };
  readonly internal: string[];
}

function sessionRig(options: { sysex?: boolean; setup?: (backend: FakeBackend) => void } = {}): SessionRig {
  const clock = new FakeClock(1000);
  const timer = new ManualTimer();
  const backend = new FakeBackend(clock);
  backend.addOutput('out-1', 'Model D');
  backend.addOutput('out-2', 'JV-1080');
  backend.addInput('in-1', 'Keystation');
  options.setup?.(backend);
  const notices: { message: string; tone: NoticeTone }[] = [];
  const internal: string[] = [];
  const settings = { midiSysex: options.sysex ?? false, updates: [] as boolean[] };
  const session = new PlaybackSession({
    backend,
    settings: {
      get: async () => ({ midiSysex: settings.midiSysex }),
      update: async (change) => {
        settings.updates.push(change.midiSysex);
        settings.midiSysex = change.midiSysex;
        return { midiSysex: settings.midiSysex };
      },
    },
    clock,
    timer,
    internalSink: () => recordingSink(clock, internal),
    notify: (message, tone) => notices.push({ message, tone }),
  });
  session.engine.setMusic(knownClip(), []);
  return { clock, timer, backend, session, notices, settings, internal };
}

describe('MIDI devices', () => {
  it('asks for MIDI access without SysEx unless the setting is on, and lists connected ports', async () => {
    const { session, backend } = sessionRig();
    await session.devices.ensureEnabled();
    expect(backend.sysexRequested).toEqual([false]);
    const state = session.devices.getState();
    expect(state).toMatchObject({ status: 'ready', sysex: false, message: null, inputId: 'in-1' });
    expect(state.outputs.map((port) => port.name)).toEqual(['Model D', 'JV-1080']);
    expect(state.inputs.map((port) => port.name)).toEqual(['Keystation']);

    const withSysex = sessionRig({ sysex: true });
    await withSysex.session.devices.ensureEnabled();
    expect(withSysex.backend.sysexRequested).toEqual([true]);
  });

  it('turns SysEx on through the settings and asks for access again, keeping the chosen output', async () => {
    const { session, backend, settings } = sessionRig();
    expect(await session.selectOutput({ kind: 'midi', outputId: 'out-2' })).toBe(true);
    await session.setSysex(true);
    expect(settings.updates).toEqual([true]);
    expect(backend.sysexRequested).toEqual([false, true]);
    expect(session.devices.getState().sysex).toBe(true);
    expect(session.engine.getState().output).toEqual({ kind: 'midi', outputId: 'out-2' });
  });

  it('updates the lists as devices are plugged and unplugged', async () => {
    const { session, backend } = sessionRig();
    await session.devices.ensureEnabled();
    backend.addOutput('out-3', 'Volca');
    expect(session.devices.getState().outputs.map((port) => port.id)).toEqual(['out-1', 'out-2', 'out-3']);
    backend.unplug('output', 'out-1');
    expect(session.devices.getState().outputs.map((port) => port.id)).toEqual(['out-2', 'out-3']);
  });

  it('stops cleanly, falls back to the internal synth and says so when the playing output is unplugged', async () => {
    const { session, backend, clock, timer, notices } = sessionRig();
    expect(await session.selectOutput({ kind: 'midi', outputId: 'out-1' })).toBe(true);
    session.engine.play();
    advance(clock, timer, 300);
    const sent = backend.recordingPorts.get('out-1')!.sent;
    expect(sent.some((message) => hex(message.bytes) === '90 3C 64')).toBe(true);
    backend.unplug('output', 'out-1');
    expect(session.engine.getState()).toMatchObject({ playing: false, output: { kind: 'internal' } });
    expect(session.devices.getState().outputs.map((port) => port.id)).toEqual(['out-2']);
    expect(notices).toEqual([{ message: 'The MIDI output “Model D” was disconnected. Playback stopped and switched to the internal synth.', tone: 'warning' }]);
    expect(timer.running).toBe(false);
    // Unplugging another device changes nothing else.
    backend.unplug('output', 'out-2');
    expect(notices).toHaveLength(1);
  });

  it('says clearly when a port is held by another program, and stays on the current output', async () => {
    const { session, notices } = sessionRig({ setup: (backend) => backend.busy.add('out-2') });
    await session.devices.ensureEnabled();
    // Access was granted even though one port would not open: the others are listed.
    const state = session.devices.getState();
    expect(state.status).toBe('ready');
    expect(state.outputs.map((port) => [port.id, port.open])).toEqual([
      ['out-1', true],
      ['out-2', false],
    ]);
    expect(state.message).toContain('another program is using it');
    expect(await session.selectOutput({ kind: 'midi', outputId: 'out-2' })).toBe(false);
    expect(notices.at(-1)).toEqual({
      message:
        '“JV-1080” cannot be opened: another program is using it (on Windows only one program at a time can use a MIDI port). Close that program (a DAW, MIDI-OX, a synth editor) and choose the port again, or pick another output.',
      tone: 'error',
    });
    expect(session.engine.getState().output).toEqual({ kind: 'internal' });
  });

  it('reports refused access and a browser without Web MIDI', async () => {
    const refused = sessionRig({ setup: (backend) => (backend.refuseAccess = Object.assign(new Error('denied'), { name: 'NotAllowedError' })) });
    await refused.session.devices.ensureEnabled();
    expect(refused.session.devices.getState()).toMatchObject({ status: 'failed', outputs: [] });
    expect(refused.session.devices.getState().message).toContain('MIDI access was refused');
    const unsupported = sessionRig({ setup: (backend) => (backend.supported = false) });
    await unsupported.session.devices.ensureEnabled();
    expect(unsupported.session.devices.getState()).toMatchObject({ status: 'unsupported' });
  });
});

describe('recording from a MIDI input', () => {
  it('parses note-on, note-off and note-on with velocity 0, and ignores the rest', () => {
    expect(parseNoteMessage([0x92, 60, 100])).toEqual({ kind: 'on', channel: 2, pitch: 60, velocity: 100 });
    expect(parseNoteMessage([0x82, 60, 0])).toEqual({ kind: 'off', channel: 2, pitch: 60, velocity: 0 });
    expect(parseNoteMessage([0x90, 60, 0])).toEqual({ kind: 'off', channel: 0, pitch: 60, velocity: 0 });
    expect(parseNoteMessage([0xb0, 64, 127])).toBeNull();
    expect(parseNoteMessage([0xf8])).toBeNull();
  });

  it('places notes in free time from the playhead at the piece’s tempo, quantized on request', () => {
    const tempo = tempoMapping(knownClip().tempos, 480, null); // 120 bpm: 1 ms = 0.96 ticks
    const free = new Take({ quantize: null, positionTicks: 960, tempo, transportTicksAt: () => null });
    free.handle([0x90, 60, 100], 5000); // the first note lands at the playhead
    free.handle([0x90, 64, 90], 5260);
    free.handle([0x80, 60, 0], 5490);
    free.handle([0x80, 64, 0], 5740);
    expect(free.finish(6000)).toEqual([
      { ticks: 960, durationTicks: 470, pitch: 60, velocity: 100, channel: 0 },
      { ticks: 1210, durationTicks: 460, pitch: 64, velocity: 90, channel: 0 },
    ]);
    const snapped = new Take({ quantize: 240, positionTicks: 960, tempo, transportTicksAt: () => null });
    snapped.handle([0x90, 60, 100], 5000);
    snapped.handle([0x90, 64, 90], 5260);
    snapped.handle([0x80, 60, 0], 5490);
    snapped.handle([0x80, 64, 0], 5300); // shorter than a step: one step long
    expect(snapped.finish(6000)).toEqual([
      { ticks: 960, durationTicks: 480, pitch: 60, velocity: 100, channel: 0 },
      { ticks: 1200, durationTicks: 240, pitch: 64, velocity: 90, channel: 0 },
    ]);
  });

  it('records at the transport position while playing, ends held keys at stop, and hands the take to the editor', async () => {
    const { session, backend, clock, timer } = sessionRig();
    const takes: RecordedTake[] = [];
    session.recording.onTake((take) => takes.push(take));
    session.engine.play(); // starts at 1020
    advance(clock, timer, 100);
    await session.recording.startRecording({ quantize: 120 });
    expect(session.recording.getState()).toMatchObject({ recording: true, inputId: 'in-1', mode: 'transport' });
    // 1020 + 530 ms = tick 508.8 → 480 with a 120 snap; ends at 1020 + 760 = 729.6 → 720.
    backend.play('in-1', [0x90, 62, 80], 1550);
    backend.play('in-1', [0x80, 62, 64], 1780);
    backend.play('in-1', [0x91, 65, 70], 1790);
    expect(session.recording.getState().notes).toBe(1);
    advance(clock, timer, 900); // now 2000
    const take = session.recording.stopRecording()!;
    expect(take.notes).toEqual([
      { ticks: 480, durationTicks: 240, pitch: 62, velocity: 80, channel: 0 },
      // Still held at stop (2000 ms = tick 940.8 → 960).
      { ticks: 720, durationTicks: 240, pitch: 65, velocity: 70, channel: 1 },
    ]);
    expect(take).toMatchObject({ inputId: 'in-1', inputName: 'Keystation', quantize: 120 });
    expect(takes).toEqual([take]);
    expect(session.recording.getState().recording).toBe(false);
    // The input is no longer listened to.
    backend.play('in-1', [0x90, 70, 80], 2100);
    expect(session.recording.stopRecording()).toBeNull();
  });

  it('counts in, starts the transport, records from the position, and ends the take when the transport stops', async () => {
    const { session, backend, clock, timer } = sessionRig();
    let delivered: RecordedTake | null = null;
    await session.recording.startRecording({ countInBars: 1, onTake: (take) => (delivered = take) });
    expect(session.engine.getState().playing).toBe(true);
    // The count-in bar takes 2000 ms from 1020: the music's tick 0 is at 3020.
    backend.play('in-1', [0x90, 60, 100], 3020);
    backend.play('in-1', [0x80, 60, 0], 3520);
    advance(clock, timer, 3000);
    session.engine.stop();
    expect(delivered).not.toBeNull();
    expect(delivered!.notes).toEqual([{ ticks: 0, durationTicks: 480, pitch: 60, velocity: 100, channel: 0 }]);
  });

  it('echoes played notes to the output on the monitored track’s channel, and silences them at stop', async () => {
    const { session, backend } = sessionRig();
    await session.selectOutput({ kind: 'midi', outputId: 'out-1' });
    await session.recording.startRecording({ monitor: { muted: false, solo: false, channel: 4, program: 81 } });
    backend.play('in-1', [0x90, 60, 100], 1000);
    session.recording.stopRecording();
    const sent = backend.recordingPorts.get('out-1')!.sent.map((message) => hex(message.bytes));
    expect(sent).toEqual(['C4 51', '94 3C 64', '84 3C 40']);
  });

  it('refuses to record without an input, with a message', async () => {
    const { session, backend } = sessionRig();
    await session.devices.ensureEnabled();
    backend.unplug('input', 'in-1');
    await expect(session.recording.startRecording()).rejects.toThrow('There is no MIDI input to record from');
  });

  it('stops recording (keeping the notes) when the input is unplugged', async () => {
    const { session, backend, notices } = sessionRig();
    const takes: RecordedTake[] = [];
    session.recording.onTake((take) => takes.push(take));
    await session.recording.startRecording();
    backend.play('in-1', [0x90, 60, 100], 1000);
    backend.play('in-1', [0x80, 60, 0], 1500);
    backend.unplug('input', 'in-1');
    expect(takes).toHaveLength(1);
    expect(takes[0]!.notes).toHaveLength(1);
    expect(notices.at(-1)!.message).toBe('The MIDI input “Keystation” was disconnected. Recording stopped; the notes played so far were kept.');
  });
});
