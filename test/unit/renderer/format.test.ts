import { describe, expect, it } from 'vitest';
import { formatBpm, formatBytes, formatClock, formatCount, formatHms, formatPercent, formatTimestamp, plural, shortenPath } from '../../../renderer/src/lib/format';

describe('renderer formatting', () => {
  it('groups thousands with commas whatever the machine locale', () => {
    expect(formatCount(49300)).toBe('49,300');
    expect(formatCount(82722)).toBe('82,722');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(229)).toBe('229');
  });

  it('writes corpus durations as h:mm:ss', () => {
    expect(formatHms(0)).toBe('0:00:00');
    expect(formatHms(59.6)).toBe('0:01:00');
    expect(formatHms(3725)).toBe('1:02:05');
    expect(formatHms(36 * 3600 + 1)).toBe('36:00:01');
    expect(formatHms(Number.NaN)).toBe('0:00:00');
    expect(formatHms(-5)).toBe('0:00:00');
  });

  it('writes piece durations as m:ss until an hour', () => {
    expect(formatClock(45)).toBe('0:45');
    expect(formatClock(605)).toBe('10:05');
    expect(formatClock(3600)).toBe('1:00:00');
  });

  it('formats tempo, percentages, sizes and plurals', () => {
    expect(formatBpm(120)).toBe('120');
    expect(formatBpm(92.456)).toBe('92.5');
    expect(formatPercent(0.456)).toBe('45%');
    expect(formatPercent(1.2)).toBe('100%');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(plural(1, 'piece')).toBe('1 piece');
    expect(plural(2290, 'piece')).toBe('2,290 pieces');
  });

  it('shows only the time for today and the date otherwise', () => {
    const now = new Date(2025, 0, 31, 15, 0, 0);
    expect(formatTimestamp(new Date(2025, 0, 31, 14, 3, 7).toISOString(), now)).toBe('14:03:07');
    expect(formatTimestamp(new Date(2025, 0, 30, 9, 5, 0).toISOString(), now)).toBe('2025-01-30 09:05');
    expect(formatTimestamp(null, now)).toBe('');
    expect(formatTimestamp('not a date', now)).toBe('');
  });
});

describe('shortenPath', () => {
  it('keeps short paths and the end of long ones', () => {
    expect(shortenPath('/data/studio.sqlite')).toBe('/data/studio.sqlite');
    const long = '/home/composer/.config/Composition Studio/databases/studio.sqlite';
    const short = shortenPath(long, 40);
    expect(short).toBe('…/databases/studio.sqlite');
    expect(short.length).toBeLessThanOrEqual(40);
    expect(shortenPath('C:\\Users\\me\\AppData\\Roaming\\Composition Studio\\studio.sqlite', 40)).toBe('…\\Composition Studio\\studio.sqlite');
    expect(shortenPath(`/x/${'a'.repeat(60)}.sqlite`, 20)).toHaveLength(20);
  });
});
