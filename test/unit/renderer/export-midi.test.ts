import { Midi } from '@tonejs/midi';
import { describe, expect, it, vi } from 'vitest';
import { parseMidi } from '../../../core/midi/parse-midi';
import { describeExport, exportPieceMidi, exportRouteFor, safeMidiFileName, type MidiDownload } from '../../../renderer/src/export/export-midi';
import { base64ToBytes, bytesToBase64 } from '../../../renderer/src/import/base64';
import { createFakeStudio, makeCorpus, makePiece } from './fake-studio';

function seeded() {
  const fake = createFakeStudio();
  fake.corpora.push(makeCorpus({ id: 1, name: 'Set' }));
  fake.pieces.set(1, [makePiece({ id: 10, corpusId: 1, relativePath: 'set/tune.mid' })]);
  return fake;
}

describe('export route', () => {
  it('saves through the dialog on the desktop and downloads in the browser', () => {
    expect(exportRouteFor('electron')).toBe('save-dialog');
    expect(exportRouteFor('browser')).toBe('download');
  });

  it('says where the file went', () => {
    expect(describeExport({ kind: 'saved', path: '/home/me/tune.mid' })).toBe('Saved to /home/me/tune.mid');
    expect(describeExport({ kind: 'downloaded', fileName: 'tune.mid' })).toBe('Downloaded tune.mid');
    expect(describeExport({ kind: 'cancelled' })).toBeNull();
  });

  it('keeps download names to a plain .mid file name', () => {
    expect(safeMidiFileName('tune.mid')).toBe('tune.mid');
    expect(safeMidiFileName('train/001')).toBe('001.mid');
    expect(safeMidiFileName('a:b?.MIDI')).toBe('a_b_.MIDI');
    expect(safeMidiFileName('')).toBe('piece.mid');
  });
});

describe('base64 → bytes', () => {
  it('round-trips every byte value and a file larger than one chunk', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    const large = Uint8Array.from({ length: 100_001 }, (_, index) => (index * 31) & 0xff);
    expect(base64ToBytes(bytesToBase64(large))).toEqual(large);
    expect(base64ToBytes('')).toEqual(new Uint8Array());
    expect(Array.from(base64ToBytes('TVRoZA=='))).toEqual([77, 84, 104, 100]);
  });

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow(/not valid base64/);
    expect(() => base64ToBytes('abc')).toThrow(/not valid base64/);
  });
});

describe('exportPieceMidi', () => {
  it('browser: fetches pieces.midi and hands the decoded file to the download', async () => {
    const fake = seeded();
    const midi = new Midi();
    midi.addTrack().addNote({ midi: 60, ticks: 0, durationTicks: 480, velocity: 0.5 });
    fake.midiFiles.set(10, { fileName: 'tune.mid', base64: bytesToBase64(midi.toArray()) });
    const download = vi.fn<(file: MidiDownload) => void>();
    const outcome = await exportPieceMidi(fake.api, 'browser', 10, download);
    expect(outcome).toEqual({ kind: 'downloaded', fileName: 'tune.mid' });
    expect(download).toHaveBeenCalledTimes(1);
    const file = download.mock.calls[0]![0];
    expect(parseMidi(file.bytes, 'tune').tracks[0]!.notes).toHaveLength(1);
    expect(fake.calls.map((call) => call.method)).toEqual(['pieces.midi']);
  });

  it('desktop: asks main to save, and reports a cancelled dialog', async () => {
    const fake = seeded();
    fake.mode = 'electron';
    const download = vi.fn();
    fake.savePath = '/home/me/tune.mid';
    expect(await exportPieceMidi(fake.api, 'electron', 10, download)).toEqual({ kind: 'saved', path: '/home/me/tune.mid' });
    fake.savePath = null;
    expect(await exportPieceMidi(fake.api, 'electron', 10, download)).toEqual({ kind: 'cancelled' });
    expect(download).not.toHaveBeenCalled();
    expect(fake.calls.map((call) => call.method)).toEqual(['pieces.exportMidi', 'pieces.exportMidi']);
  });
});
