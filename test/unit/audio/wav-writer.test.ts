// The PCM and RIFF/WAVE writing of .wav export: header fields, the soft clipper, 16-bit conversion,
// interleaving and the trimming of a silent tail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KNEE,
  audibleFrames,
  encodeWav,
  interleavePcm16,
  pcmThreshold,
  softClip,
  toPcm16,
  wavHeader,
} from '../../../electron/workers/handlers/render-wav';

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

describe('wavHeader', () => {
  it('writes the canonical 44-byte PCM header for 44.1 kHz 16-bit stereo', () => {
    const header = wavHeader({ dataBytes: 4 * 44_100, sampleRate: 44_100, channels: 2, bitsPerSample: 16 });
    const view = new DataView(header.buffer);
    expect(header.length).toBe(44);
    expect(ascii(header, 0, 4)).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(36 + 4 * 44_100);
    expect(ascii(header, 8, 16)).toBe('WAVEfmt ');
    expect(view.getUint32(16, true)).toBe(16);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(44_100);
    expect(view.getUint32(28, true)).toBe(176_400);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(ascii(header, 36, 40)).toBe('data');
    expect(view.getUint32(40, true)).toBe(176_400);
  });

  it('refuses data that is not whole frames, and audio too long for RIFF', () => {
    expect(() => wavHeader({ dataBytes: 6, sampleRate: 44_100, channels: 2, bitsPerSample: 16 })).toThrow(/whole number of 4-byte frames/);
    expect(() => wavHeader({ dataBytes: 2 ** 32, sampleRate: 44_100, channels: 2, bitsPerSample: 16 })).toThrow(/too long/);
  });
});

describe('softClip and toPcm16', () => {
  it('leaves everything up to the knee alone', () => {
    for (const sample of [0, 0.25, -0.5, KNEE, -KNEE]) expect(softClip(sample)).toBe(sample);
  });

  it('bends what is louder: never full scale, monotonic, odd, continuous at the knee', () => {
    expect(softClip(1)).toBeLessThan(1);
    expect(softClip(1)).toBeGreaterThan(KNEE);
    expect(softClip(1000)).toBeLessThanOrEqual(1);
    expect(softClip(KNEE + 1e-9)).toBeCloseTo(KNEE, 8);
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (a, b) => {
        expect(Math.abs(softClip(a))).toBeLessThanOrEqual(1);
        expect(softClip(-a)).toBe(-softClip(a));
        if (a < b) expect(softClip(a)).toBeLessThanOrEqual(softClip(b));
      }),
    );
  });

  it('maps full scale to ±32767 at most and never wraps around', () => {
    expect(toPcm16(0)).toBe(0);
    expect(toPcm16(0.5)).toBe(16384);
    expect(toPcm16(-0.5)).toBe(-16384);
    expect(toPcm16(5)).toBeLessThanOrEqual(32767);
    expect(toPcm16(5)).toBeGreaterThan(32000);
    expect(toPcm16(-5)).toBeGreaterThanOrEqual(-32767);
    expect(toPcm16(Number.NaN)).toBe(0);
    expect(toPcm16(Number.POSITIVE_INFINITY)).toBe(32767);
  });
});

describe('interleavePcm16', () => {
  it('writes L R L R …, only the frames asked for', () => {
    const out = new Int16Array(8).fill(7);
    interleavePcm16(Float32Array.of(0.5, -0.5, 0, 0.25), Float32Array.of(-0.25, 0.25, 0.5, 0), 3, out);
    expect([...out]).toEqual([16384, -8192, -16384, 8192, 0, 16384, 7, 7]);
  });

  it('refuses a buffer too small for the frames', () => {
    expect(() => interleavePcm16(new Float32Array(4), new Float32Array(4), 4, new Int16Array(6))).toThrow(/holds 3 frames, not 4/);
  });
});

describe('audibleFrames', () => {
  it('keeps up to the last frame where either channel is above the threshold', () => {
    const threshold = pcmThreshold(0.001);
    expect(threshold).toBe(33);
    // Frames: (100, 0) (0, 0) (0, 40) (10, -20) (0, 0)
    expect(audibleFrames(Int16Array.of(100, 0, 0, 0, 0, 40, 10, -20, 0, 0), 2, threshold)).toBe(3);
    expect(audibleFrames(Int16Array.of(0, 0, 0, -34), 2, threshold)).toBe(2);
    expect(audibleFrames(Int16Array.of(0, 0, 33, -33), 2, threshold)).toBe(0);
    expect(audibleFrames(new Int16Array(0), 2, threshold)).toBe(0);
  });
});

describe('encodeWav', () => {
  it('puts the header before the interleaved samples, little-endian', () => {
    const file = encodeWav([Float32Array.of(0.5, 1), Float32Array.of(-0.5, 0)], 22_050);
    expect(file.length).toBe(44 + 8);
    const view = new DataView(file.buffer);
    expect(view.getUint32(24, true)).toBe(22_050);
    expect(view.getUint32(40, true)).toBe(8);
    expect(view.getInt16(44, true)).toBe(16384);
    expect(view.getInt16(46, true)).toBe(-16384);
    expect(view.getInt16(48, true)).toBe(toPcm16(1));
    expect(view.getInt16(50, true)).toBe(0);
  });

  it('refuses anything but two channels of equal length', () => {
    expect(() => encodeWav([new Float32Array(2)], 44_100)).toThrow(/stereo/);
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], 44_100)).toThrow(/differ in length/);
  });
});
