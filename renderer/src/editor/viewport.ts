/**
 * The piano roll's coordinate mapping, in CSS pixels of the note grid (0,0 at its top-left):
 *   x = ticks × pxPerTick − scrollX          ticks = (x + scrollX) / pxPerTick
 *   y = (127 − pitch) × rowHeight − scrollY   pitch = 127 − floor((y + scrollY) / rowHeight)
 * Pitch 127 is the top row. Horizontal zoom is kept as pixels per quarter note so it means the same
 * at any ppq. Zooming keeps the time (or pitch) under the pointer where it is.
 */
export interface Viewport {
  readonly ppq: number;
  /** Horizontal zoom: pixels per quarter note. */
  readonly pxPerQuarter: number;
  /** Vertical zoom: pixels per semitone row. */
  readonly rowHeight: number;
  /** Content pixels scrolled off the left and the top. */
  readonly scrollX: number;
  readonly scrollY: number;
  /** The visible grid, CSS pixels. */
  readonly width: number;
  readonly height: number;
}

export const PITCH_ROWS = 128;
export const MIN_PX_PER_QUARTER = 2;
export const MAX_PX_PER_QUARTER = 960;
export const MIN_ROW_HEIGHT = 5;
export const MAX_ROW_HEIGHT = 40;
export const DEFAULT_PX_PER_QUARTER = 56;
export const DEFAULT_ROW_HEIGHT = 13;

export function pxPerTick(viewport: Viewport): number {
  return viewport.pxPerQuarter / viewport.ppq;
}

export function xOfTicks(viewport: Viewport, ticks: number): number {
  return ticks * pxPerTick(viewport) - viewport.scrollX;
}

export function ticksAtX(viewport: Viewport, x: number): number {
  return (x + viewport.scrollX) / pxPerTick(viewport);
}

export function yOfPitch(viewport: Viewport, pitch: number): number {
  return (PITCH_ROWS - 1 - pitch) * viewport.rowHeight - viewport.scrollY;
}

/** The pitch of the row at y, clamped to 0..127. */
export function pitchAtY(viewport: Viewport, y: number): number {
  const row = Math.floor((y + viewport.scrollY) / viewport.rowHeight);
  return Math.max(0, Math.min(PITCH_ROWS - 1, PITCH_ROWS - 1 - row));
}

export function contentHeight(viewport: Pick<Viewport, 'rowHeight'>): number {
  return PITCH_ROWS * viewport.rowHeight;
}

/** The visible window: ticks [from, to) and pitches [low, high]. */
export function visibleWindow(viewport: Viewport): { fromTicks: number; toTicks: number; lowPitch: number; highPitch: number } {
  return {
    fromTicks: Math.max(0, Math.floor(ticksAtX(viewport, 0))),
    toTicks: Math.ceil(ticksAtX(viewport, viewport.width)) + 1,
    lowPitch: pitchAtY(viewport, viewport.height),
    highPitch: pitchAtY(viewport, 0),
  };
}

export function clampScroll(viewport: Viewport, contentWidth: number): Viewport {
  const maxX = Math.max(0, contentWidth - viewport.width);
  const maxY = Math.max(0, contentHeight(viewport) - viewport.height);
  const scrollX = Math.max(0, Math.min(maxX, viewport.scrollX));
  const scrollY = Math.max(0, Math.min(maxY, viewport.scrollY));
  return scrollX === viewport.scrollX && scrollY === viewport.scrollY ? viewport : { ...viewport, scrollX, scrollY };
}

/** Horizontal zoom to `pxPerQuarter` (clamped), keeping the time at `anchorX` under it. */
export function zoomHorizontally(viewport: Viewport, pxPerQuarter: number, anchorX: number): Viewport {
  const zoom = Math.max(MIN_PX_PER_QUARTER, Math.min(MAX_PX_PER_QUARTER, pxPerQuarter));
  const anchorTicks = ticksAtX(viewport, anchorX);
  const scrollX = Math.max(0, (anchorTicks * zoom) / viewport.ppq - anchorX);
  return { ...viewport, pxPerQuarter: zoom, scrollX };
}

/** Vertical zoom to `rowHeight` (clamped), keeping the pitch position at `anchorY` under it. */
export function zoomVertically(viewport: Viewport, rowHeight: number, anchorY: number): Viewport {
  const height = Math.max(MIN_ROW_HEIGHT, Math.min(MAX_ROW_HEIGHT, rowHeight));
  const rows = (anchorY + viewport.scrollY) / viewport.rowHeight;
  const scrollY = Math.max(0, Math.min(PITCH_ROWS * height - viewport.height, rows * height - anchorY));
  return { ...viewport, rowHeight: height, scrollY: Math.max(0, scrollY) };
}

/** A scroll that shows the pitch range [low, high] centred vertically. */
export function centrePitches(viewport: Viewport, low: number, high: number): Viewport {
  const middle = (PITCH_ROWS - 1 - (low + high) / 2 + 0.5) * viewport.rowHeight;
  const scrollY = Math.max(0, Math.min(contentHeight(viewport) - viewport.height, middle - viewport.height / 2));
  return { ...viewport, scrollY: Math.max(0, scrollY) };
}
