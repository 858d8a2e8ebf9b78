// Segmenting pieces on the bar grid (4/4, 3/4, meter changes), MusicVAE's tokens ↔ notes, and the
// clear errors for input that cannot work (no segment long enough, zero bars, a pitch out of range).
import { describe, expect, it } from 'vitest';
import { HOLD_TOKEN, REST_TOKEN, validateVaeConfig, vocabularySize, type VaeConfig } from '../../../core/models/vae/config';
import { makeBatch } from '../../../core/models/vae/batches';
import { barGrid, clipSegment, segmentCorpus, segmentPiece } from '../../../core/models/vae/segments';
import { allowedShifts, pitchToken, tokensToNotes, tokensToPiece, transposeTokens, validateSegmentTokens } from '../../../core/models/vae/tokens';
import { makePiece, randomMelodies, TINY_CONFIG } from './helpers';

const on = (pitch: number): number => pitchToken(pitch, TINY_CONFIG.range);
const H = HOLD_TOKEN;
const R = REST_TOKEN;
const BAR = 1920; // ticks of a 4/4 bar at 480 ppq
const EIGHTH = 240;

describe('tokens', () => {
  it('number rest 0, hold 1, then the pitches of the range', () => {
    expect(vocabularySize(TINY_CONFIG)).toBe(15);
    expect(on(60)).toBe(2);
    expect(on(72)).toBe(14);
    expect(() => pitchToken(59, TINY_CONFIG.range)).toThrow(/Pitch 59 is outside the model's range 60\.\.72/);
  });

  it('decode to notes in ticks (a hold after a rest is a rest) and round-trip through a piece', () => {
    const tokens = [on(60), H, H, R, on(62), on(62), R, H, on(64), H, H, H, H, H, H, H];
    expect(tokensToNotes(tokens, TINY_CONFIG, { ppq: 480, startTicks: 100 })).toEqual([
      { ticks: 100, durationTicks: 720, pitch: 60, velocity: 80 },
      { ticks: 100 + 960, durationTicks: 240, pitch: 62, velocity: 80 },
      { ticks: 100 + 1200, durationTicks: 240, pitch: 62, velocity: 80 },
      { ticks: 100 + 1920, durationTicks: 1920, pitch: 64, velocity: 80 },
    ]);
    const canonical = tokens.map((token, t) => (token === H && tokens[t - 1] === R ? R : token));
    for (const melody of [canonical, ...randomMelodies(9, 6)]) {
      const piece = tokensToPiece([melody], TINY_CONFIG);
      expect(piece.timeSignatures).toEqual([{ ticks: 0, numerator: 4, denominator: 4 }]);
      const result = segmentPiece(piece, TINY_CONFIG, { minNotes: 0 });
      expect(result.segments[0]!.tokens).toEqual(melody);
    }
  });

  it('transpose within the range only', () => {
    const tokens = [on(62), H, on(70), R, ...new Array<number>(12).fill(R)];
    expect(allowedShifts(tokens, 5, TINY_CONFIG.range)).toEqual([-2, 2]);
    expect(transposeTokens(tokens, 2, TINY_CONFIG.range)!.slice(0, 4)).toEqual([on(64), H, on(72), R]);
    expect(transposeTokens(tokens, 3, TINY_CONFIG.range)).toBeNull();
  });
});

describe('segments on the bar grid', () => {
  it('cut 2-bar segments of 4/4 every bar; a note sounding across a segment start becomes a note-on', () => {
    // Bar 1: 60 for a quarter; 67 from the last eighth of bar 1 into bar 2; bar 3: 72.
    const piece = makePiece([
      [0, 480, 60],
      [BAR - EIGHTH, 2 * EIGHTH, 67],
      [2 * BAR, 480, 72],
    ], [], 3 * BAR);
    expect(barGrid(piece, 2).map((bar) => [bar.step, bar.steps])).toEqual([[0, 8], [8, 8], [16, 8]]);
    const { segments, counts } = segmentPiece(piece, TINY_CONFIG);
    expect(counts).toEqual({ segments: 2, otherMeter: 0, empty: 0, outOfRange: 0, silentPieces: 0 });
    expect(segments[0]!.tokens).toEqual([on(60), H, R, R, R, R, R, on(67), H, R, R, R, R, R, R, R]);
    expect(segments[1]!.tokens).toEqual([on(67), R, R, R, R, R, R, R, on(72), H, R, R, R, R, R, R]);
    expect(segments[1]!.source).toEqual({ piece: 'test piece', bar: 1, ticks: BAR });
  });

  it('follow 3/4 and meter changes: a 4/4 model skips 3/4 bars, a 3/4 model takes only them', () => {
    const waltz: VaeConfig = { ...TINY_CONFIG, stepsPerBar: 6 };
    const threeFour = makePiece([[0, 480, 60], [1440, 480, 62], [2880, 480, 64]], [{ ticks: 0, numerator: 3, denominator: 4 }], 3 * 1440);
    const cut = segmentPiece(threeFour, waltz);
    expect(cut.segments.map((segment) => segment.source!.ticks)).toEqual([0, 1440]);
    expect(cut.segments[0]!.tokens).toEqual([on(60), H, R, R, R, R, on(62), H, R, R, R, R]);
    // Two bars of 4/4, then two of 3/4.
    const mixed = makePiece(
      [[0, 480, 60], [BAR, 480, 62], [2 * BAR, 480, 64], [2 * BAR + 1440, 480, 65]],
      [{ ticks: 0, numerator: 4, denominator: 4 }, { ticks: 2 * BAR, numerator: 3, denominator: 4 }],
      2 * BAR + 2 * 1440,
    );
    const common = segmentPiece(mixed, TINY_CONFIG);
    expect(common.segments.map((segment) => segment.source!.bar)).toEqual([0]);
    expect(common.counts.otherMeter).toBe(2);
    const triple = segmentPiece(mixed, waltz);
    expect(triple.segments.map((segment) => segment.source!.bar)).toEqual([2]);
    expect(triple.segments[0]!.tokens).toEqual([on(64), H, R, R, R, R, on(65), H, R, R, R, R]);
  });

  it('skip empty segments and segments out of range (counted), or refuse the latter for a chosen clip', () => {
    const piece = makePiece([[0, 480, 60], [3 * BAR, 480, 80]], [], 4 * BAR);
    const result = segmentPiece(piece, TINY_CONFIG, { minNotes: 1 });
    expect(result.counts).toEqual({ segments: 1, otherMeter: 0, empty: 1, outOfRange: 1, silentPieces: 0 });
    expect(() => clipSegment(piece, TINY_CONFIG, { startBar: 2 })).toThrow(/pitch 80 is outside the model's range 60\.\.72/);
    expect(clipSegment(piece, TINY_CONFIG, { startBar: 1 })).toEqual(new Array<number>(16).fill(R));
  });

  it('refuse what cannot make a segment, saying why', () => {
    const oneBar = makePiece([[0, 480, 60]], [], BAR);
    expect(() => segmentCorpus([oneBar], TINY_CONFIG)).toThrow(/No segment of 2 bars of 8 steps could be cut from 1 piece/);
    expect(() => clipSegment(oneBar, TINY_CONFIG)).toThrow(/has 1 bar; a segment of this model needs 2/);
    expect(() => validateVaeConfig({ ...TINY_CONFIG, bars: 0 })).toThrow(/a segment needs at least one bar/);
    expect(() => validateVaeConfig({ ...TINY_CONFIG, range: { low: 70, high: 60 } })).toThrow(/pitch range/);
    expect(() => validateSegmentTokens([2, 1], TINY_CONFIG)).toThrow(/has 2 steps; this model takes segments of 2 bars of 8 steps \(16\)/);
    expect(() => makeBatch([[...new Array<number>(15).fill(R), 15]], TINY_CONFIG)).toThrow(/token 15 at step 15 is not in the vocabulary 0\.\.14/);
  });
});
