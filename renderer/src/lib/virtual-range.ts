/** The rows a fixed-row-height list must render to fill its viewport, plus a margin either side. */
export interface VirtualRange {
  /** First rendered row. */
  readonly start: number;
  /** One past the last rendered row. */
  readonly end: number;
  /** Height of the space above the first rendered row. */
  readonly before: number;
  /** Height of the space below the last rendered row. */
  readonly after: number;
}

export function virtualRange(options: {
  readonly rowCount: number;
  readonly rowHeight: number;
  readonly scrollTop: number;
  readonly viewportHeight: number;
  readonly overscan?: number;
}): VirtualRange {
  const { rowCount, rowHeight } = options;
  const overscan = options.overscan ?? 8;
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const scrollTop = Math.max(0, options.scrollTop);
  // Before the first layout the viewport has no height: render one screenful of a typical window.
  const viewportHeight = options.viewportHeight > 0 ? options.viewportHeight : 800;
  const first = Math.floor(scrollTop / rowHeight);
  const visible = Math.ceil(viewportHeight / rowHeight) + 1;
  const start = Math.min(rowCount, Math.max(0, first - overscan));
  const end = Math.min(rowCount, first + visible + overscan);
  return { start, end, before: start * rowHeight, after: (rowCount - end) * rowHeight };
}
