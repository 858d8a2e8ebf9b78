/**
 * Number and time formatting for the studio's tables. The UI is in English, so numbers use a fixed
 * en-US grouping ("49,300") rather than the machine's locale: the same corpus reads the same
 * everywhere, in screenshots and in tests.
 */
const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const tempoFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return integerFormat.format(Math.round(value));
}

function twoDigits(value: number): string {
  return value.toString().padStart(2, '0');
}

/** Always h:mm:ss, e.g. "0:04:05" or "12:00:01": totals of a corpus line up in a column. */
export function formatHms(seconds: number): string {
  const whole = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return `${hours}:${twoDigits(minutes)}:${twoDigits(whole % 60)}`;
}

/** m:ss for short things (a piece), h:mm:ss once it reaches an hour. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
  if (whole >= 3600) return formatHms(whole);
  return `${Math.floor(whole / 60)}:${twoDigits(whole % 60)}`;
}

export function formatBpm(bpm: number): string {
  return tempoFormat.format(bpm);
}

export function formatPercent(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return `${Math.floor(clamped * 100)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 10 ? 0 : 1)} ${units[unit]}`;
}

/** "3 pieces", "1 piece". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** A short local time for job rows: "14:03:27" today, "2025-01-31 14:03" otherwise. */
export function formatTimestamp(iso: string | null, now: Date = new Date()): string {
  if (iso === null) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const time = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  if (sameDay) return time;
  return `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())} ${time.slice(0, 5)}`;
}

/** The end of a long path, which is the informative part: "…/studio/data/studio.sqlite". */
export function shortenPath(filePath: string, maxLength = 48): string {
  if (filePath.length <= maxLength) return filePath;
  const separator = filePath.includes('\\') && !filePath.includes('/') ? '\\' : '/';
  const parts = filePath.split(separator);
  let tail = parts.pop() ?? '';
  if (tail.length + 2 > maxLength) return `…${tail.slice(-(maxLength - 1))}`;
  // "…" + separator + tail must fit.
  while (parts.length > 0 && 2 + (parts[parts.length - 1]?.length ?? 0) + 1 + tail.length <= maxLength) {
    tail = `${parts.pop()}${separator}${tail}`;
  }
  return `…${separator}${tail}`;
}
