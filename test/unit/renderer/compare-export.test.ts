// The Compare view's exports and rolls apart from the DOM: the CSV download's name and bytes, the
// samples' .zip (read back with fflate), and the piano rolls' common span and cropping.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { comparisonCsv } from '../../../core/comparisons/csv';
import { csvDownload, downloadName, samplesZip } from '../../../renderer/src/views/compare/compare-export';
import { cropMusic, DEFAULT_SPAN_BARS, firstOf, spanInQuarters, ticksPerBar } from '../../../renderer/src/views/compare/compare-rolls-model';
import { makeComparison, melody } from './compare-fixtures';

const midiBase64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');

describe('downloadName', () => {
  it('keeps a good name with its extension and adds one that is missing', () => {
    expect(downloadName('Small vs Large on Chorales.csv', 'csv', 'x')).toBe('Small vs Large on Chorales.csv');
    expect(downloadName('Small vs Large on Chorales', 'csv', 'x')).toBe('Small vs Large on Chorales.csv');
    expect(downloadName('numbers.CSV', 'csv', 'x')).toBe('numbers.csv');
  });

  it('drops folders and characters a file system refuses, and falls back when nothing is left', () => {
    expect(downloadName('../../etc/passwd', 'csv', 'x')).toBe('passwd.csv');
    expect(downloadName('a:b*c?"d".csv', 'csv', 'x')).toBe('a-b-c--d-.csv');
    expect(downloadName('...', 'csv', 'comparison-4')).toBe('comparison-4.csv');
    expect(downloadName('', 'zip', 'samples')).toBe('samples.zip');
  });
});

describe('csvDownload', () => {
  it('downloads what comparisons.csv returns under its own name, as UTF-8 with a BOM', () => {
    const comparison = makeComparison();
    const file = comparisonCsv(comparison);
    const download = csvDownload(file, comparison.id);
    expect(download.fileName).toBe('Small vs Large on Chorales.csv');
    expect(download.mimeType).toBe('text/csv');
    expect([...download.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(download.bytes.slice(3));
    expect(text).toBe(file.text);
    expect(text.split('\r\n')[0]).toBe('model,family,representation,metric,value');
    expect(text).toContain('Small,hmm,pitch,nllPerToken,2\r\n');
  });

  it('names an unnamed comparison after its id', () => {
    expect(csvDownload({ fileName: '.csv', text: 'a\r\n' }, 12).fileName).toBe('comparison-12.csv');
  });
});

describe('samplesZip', () => {
  it('puts every sample under one folder named after the comparison, a folder per model', () => {
    const files = [
      { relativePath: 'Small/sample-01.mid', base64: midiBase64([0x4d, 0x54, 0x68, 0x64, 1]) },
      { relativePath: 'Small/sample-02.mid', base64: midiBase64([0x4d, 0x54, 0x68, 0x64, 2]) },
      { relativePath: 'Large/sample-01.mid', base64: midiBase64([0x4d, 0x54, 0x68, 0x64, 3]) },
    ];
    const zip = samplesZip('Small vs Large on Chorales', 5, files);
    expect(zip.fileName).toBe('Small vs Large on Chorales samples.zip');
    expect(zip.mimeType).toBe('application/zip');
    const entries = unzipSync(zip.bytes);
    expect(Object.keys(entries).sort()).toEqual([
      'Small vs Large on Chorales samples/Large/sample-01.mid',
      'Small vs Large on Chorales samples/Small/sample-01.mid',
      'Small vs Large on Chorales samples/Small/sample-02.mid',
    ]);
    expect([...entries['Small vs Large on Chorales samples/Small/sample-02.mid']!]).toEqual([0x4d, 0x54, 0x68, 0x64, 2]);
  });

  it('keeps paths inside the folder, and says so when there is nothing to zip', () => {
    const zip = samplesZip('a/b', 5, [{ relativePath: '../../Small/./sample-01.mid', base64: midiBase64([1]) }]);
    expect(Object.keys(unzipSync(zip.bytes))).toEqual(['a-b samples/Small/sample-01.mid']);
    expect(() => samplesZip('x', 5, [])).toThrow(/no samples to export/);
    expect(() => samplesZip('x', 5, [{ relativePath: '../..', base64: midiBase64([1]) }])).toThrow(/no usable path/);
    expect(() => samplesZip('x', 5, [{ relativePath: 'a.mid', base64: 'not base64!' }])).toThrow(/not valid base64/);
  });
});

describe('the piano rolls’ span', () => {
  it('spans the longest sample in whole bars, or 8 bars with nothing to measure', () => {
    // 5 quarter notes run into a second 4/4 bar: two bars, 8 quarters.
    expect(spanInQuarters([melody([60, 62, 64, 65, 67]), melody([60, 62])])).toBe(8);
    expect(spanInQuarters([melody([60, 62, 64, 65])])).toBe(4);
    expect(spanInQuarters([])).toBe(DEFAULT_SPAN_BARS * 4);
    const threeFour = { ...melody([60, 62, 64, 65]), timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }] };
    expect(ticksPerBar(threeFour)).toBe(3 * 480);
    expect(spanInQuarters([threeFour])).toBe(6);
  });

  it('crops a reference piece to the span, cutting notes that sound past it', () => {
    const piece = { ...melody([60, 62, 64, 65, 67, 69]), tracks: melody([60, 62, 64, 65, 67, 69]).tracks.map((track) => ({ ...track, notes: [...track.notes, { ticks: 960, durationTicks: 2400, time: 1, duration: 2.5, pitch: 48, velocity: 70 }] })) };
    const cropped = cropMusic(piece, 4);
    expect(cropped.durationTicks).toBe(4 * 480);
    expect(cropped.tracks[0]!.notes.map((note) => [note.ticks, note.durationTicks, note.pitch])).toEqual([
      [0, 480, 60],
      [480, 480, 62],
      [960, 480, 64],
      [1440, 480, 65],
      [960, 960, 48],
    ]);
    // The original is untouched.
    expect(piece.tracks[0]!.notes).toHaveLength(7);
    expect(() => cropMusic(piece, 0)).toThrow(/positive number of quarter notes/);
  });

  it('takes the first four ids for a row', () => {
    expect(firstOf([9, 8, 7, 6, 5])).toEqual([9, 8, 7, 6]);
    expect(firstOf([9])).toEqual([9]);
    expect(firstOf([9, 8], 0)).toEqual([]);
  });
});
