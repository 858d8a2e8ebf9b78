/**
 * Drawing the piano roll's layers on 2D canvases. Only what is in view is visited (the spatial index
 * per track), notes are batched by colour and shade so a frame makes a handful of
 * fill style changes however many notes show, every shape is an axis-aligned fillRect (the cheapest
 * thing to record and rasterise), and when zoomed far out the notes of a row that touch at pixel
 * resolution are merged into one rectangle (the eye cannot tell, the rasteriser can).
 */
import type { EditorDocument, EditorNote } from '../../editor/document';
import { gridLines, type MeterMap } from '../../editor/grid';
import { forEachNoteIn, trackIndexOf } from '../../editor/spatial-index';
import { isAudible, type TrackView } from '../../editor/track-view';
import { pitchAtY, pxPerTick, ticksAtX, visibleWindow, xOfTicks, yOfPitch, type Viewport } from '../../editor/viewport';
import { pitchName } from '../../lib/music-labels';
import type { RollTheme } from './roll-theme';

const BLACK = [false, true, false, true, false, false, true, false, true, false, true, false];

export function isBlack(pitch: number): boolean {
  return BLACK[pitch % 12]!;
}

/** Sizes the canvas's backing store for the device pixel ratio and returns its context in CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const backingWidth = Math.max(1, Math.round(width * ratio));
  const backingHeight = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== backingWidth) canvas.width = backingWidth;
  if (canvas.height !== backingHeight) canvas.height = backingHeight;
  const context = canvas.getContext('2d', { alpha: false });
  if (!context) return null;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/** Notes being dragged, drawn where they would land; their stored places are left empty. */
export interface NotePreview {
  readonly hidden: ReadonlySet<number>;
  readonly notes: readonly EditorNote[];
}

export interface GridScene {
  readonly viewport: Viewport;
  readonly document: EditorDocument;
  readonly meter: MeterMap;
  readonly activeTrack: number;
  readonly selection: ReadonlySet<number>;
  readonly trackViews: ReadonlyMap<number, TrackView>;
  readonly theme: RollTheme;
  /** The snap step in ticks (grid lines are drawn at it when there is room), or null. */
  readonly stepTicks: number | null;
  /** The end of the music: drawn darker after it. */
  readonly endTicks: number;
  readonly preview: NotePreview | null;
  /** Velocities being drawn in the lane, by note id. */
  readonly velocityOverrides: ReadonlyMap<number, number> | null;
}

/** Below this many pixels per quarter, a row's touching notes are merged into one rectangle. */
const MERGE_BELOW_PX_PER_QUARTER = 14;
const SHADES = 4;

/**
 * Rectangles of one colour, filled with fillRect (Chromium records and rasterises axis-aligned
 * rectangles far faster than one path of many). With merging, touching rectangles of a row become one.
 */
class RectBatch {
  readonly #runStart = new Float64Array(128).fill(NaN);
  readonly #runEnd = new Float64Array(128);
  readonly #runY = new Float64Array(128);
  readonly #runHeight = new Float64Array(128);
  #rects: number[] = [];

  constructor(private readonly merge: boolean) {}

  add(pitch: number, x: number, y: number, width: number, height: number): void {
    if (!this.merge) {
      this.#rects.push(x, y, width, height);
      return;
    }
    const start = this.#runStart[pitch]!;
    if (!Number.isNaN(start) && x <= this.#runEnd[pitch]! + 0.75) {
      this.#runEnd[pitch] = Math.max(this.#runEnd[pitch]!, x + width);
      return;
    }
    if (!Number.isNaN(start)) this.#rects.push(start, this.#runY[pitch]!, this.#runEnd[pitch]! - start, this.#runHeight[pitch]!);
    this.#runStart[pitch] = x;
    this.#runEnd[pitch] = x + width;
    this.#runY[pitch] = y;
    this.#runHeight[pitch] = height;
  }

  /** Fills the rectangles; `outline` strokes each one inside its edge (used for the selection, which is few). */
  fill(context: CanvasRenderingContext2D, style: string, outline: string | null = null): void {
    if (this.merge) {
      for (let pitch = 0; pitch < 128; pitch++) {
        const start = this.#runStart[pitch]!;
        if (!Number.isNaN(start)) this.#rects.push(start, this.#runY[pitch]!, this.#runEnd[pitch]! - start, this.#runHeight[pitch]!);
      }
      this.#runStart.fill(NaN);
    }
    const rects = this.#rects;
    if (rects.length === 0) return;
    context.fillStyle = style;
    for (let index = 0; index < rects.length; index += 4) context.fillRect(rects[index]!, rects[index + 1]!, rects[index + 2]!, rects[index + 3]!);
    if (outline !== null) {
      context.strokeStyle = outline;
      context.lineWidth = 1;
      for (let index = 0; index < rects.length; index += 4) {
        const width = rects[index + 2]!;
        const height = rects[index + 3]!;
        if (width >= 3 && height >= 3) context.strokeRect(rects[index]! + 0.5, rects[index + 1]! + 0.5, width - 1, height - 1);
      }
    }
    this.#rects = [];
  }
}

function shadeOf(velocity: number): number {
  return Math.min(SHADES - 1, Math.floor((velocity / 128) * SHADES));
}

function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (!hex) return colour;
  const value = parseInt(hex[1]!, 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha.toFixed(3)})`;
}

/** The note rectangle in CSS pixels, snapped to whole pixels with a 1-pixel gap after it. */
function noteRect(viewport: Viewport, note: Pick<EditorNote, 'ticks' | 'durationTicks' | 'pitch'>, scale: number): [number, number, number, number] {
  const left = note.ticks * scale - viewport.scrollX;
  const right = (note.ticks + note.durationTicks) * scale - viewport.scrollX;
  const x = Math.round(left);
  const width = Math.max(1, Math.round(right) - x - (right - left > 3 ? 1 : 0));
  const y = Math.round(yOfPitch(viewport, note.pitch));
  const height = Math.max(1, Math.round(viewport.rowHeight) - (viewport.rowHeight >= 5 ? 1 : 0));
  return [x, y + (viewport.rowHeight >= 5 ? 1 : 0), width, height];
}

export function drawGrid(context: CanvasRenderingContext2D, scene: GridScene): void {
  const { viewport, theme, document, meter } = scene;
  const { width, height, rowHeight } = viewport;
  const window = visibleWindow(viewport);
  const scale = pxPerTick(viewport);

  context.fillStyle = theme.background;
  context.fillRect(0, 0, width, height);

  // Rows: black keys darker, a line under every C.
  context.fillStyle = theme.blackRow;
  for (let pitch = window.lowPitch; pitch <= window.highPitch; pitch++) {
    if (isBlack(pitch)) context.fillRect(0, Math.round(yOfPitch(viewport, pitch)), width, Math.round(rowHeight));
  }
  context.fillStyle = theme.octaveLine;
  for (let pitch = window.lowPitch; pitch <= window.highPitch; pitch++) {
    if (pitch % 12 === 0) context.fillRect(0, Math.round(yOfPitch(viewport, pitch) + rowHeight) - 1, width, 1);
  }

  // After the end of the music.
  const endX = xOfTicks(viewport, scene.endTicks);
  if (endX < width) {
    context.fillStyle = theme.afterEnd;
    context.fillRect(Math.max(0, Math.round(endX)), 0, width, height);
  }

  drawTimeLines(context, viewport, meter, scene.stepTicks, theme, height);

  // Ghost notes: the other tracks, dimmed, under the active one.
  const anySolo = [...scene.trackViews.values()].some((view) => view.solo);
  const merge = viewport.pxPerQuarter < MERGE_BELOW_PX_PER_QUARTER;
  document.tracks.forEach((track, trackIndex) => {
    if (trackIndex === scene.activeTrack) return;
    const view = scene.trackViews.get(track.id);
    if (!view) return;
    const batch = new RectBatch(merge);
    forEachNoteIn(trackIndexOf(track.notes, document.ppq), window.fromTicks, window.toTicks, window.lowPitch, window.highPitch, (note) => {
      const [x, y, w, h] = noteRect(viewport, note, scale);
      batch.add(note.pitch, x, y, w, h);
    });
    batch.fill(context, withAlpha(view.colour, isAudible(view, anySolo) ? 0.26 : 0.1));
  });

  const track = document.tracks[scene.activeTrack];
  if (!track) return;
  const view = scene.trackViews.get(track.id);
  const colour = view?.colour ?? '#5aa9ff';
  const shades = Array.from({ length: SHADES }, () => new RectBatch(merge));
  const selected = new RectBatch(merge);
  const hidden = scene.preview?.hidden;
  const overrides = scene.velocityOverrides;
  const labels: EditorNote[] = [];
  const wantLabels = rowHeight >= 12 && scene.viewport.pxPerQuarter >= 40;
  forEachNoteIn(trackIndexOf(track.notes, document.ppq), window.fromTicks, window.toTicks, window.lowPitch, window.highPitch, (note) => {
    if (hidden?.has(note.id)) return;
    const [x, y, w, h] = noteRect(viewport, note, scale);
    if (scene.selection.has(note.id)) selected.add(note.pitch, x, y, w, h);
    else shades[shadeOf(overrides?.get(note.id) ?? note.velocity)]!.add(note.pitch, x, y, w, h);
    if (wantLabels && w >= 30 && labels.length < 600) labels.push(note);
  });
  shades.forEach((batch, shade) => batch.fill(context, withAlpha(colour, 0.5 + (0.5 * (shade + 1)) / SHADES)));
  selected.fill(context, theme.selectedFill, rowHeight >= 6 && !merge ? theme.selectedBorder : null);

  if (scene.preview && scene.preview.notes.length > 0) {
    const moved = new RectBatch(false);
    for (const note of scene.preview.notes) {
      const [x, y, w, h] = noteRect(viewport, note, scale);
      if (x > width || x + w < 0 || y > height || y + h < 0) continue;
      moved.add(note.pitch, x, y, w, h);
    }
    moved.fill(context, withAlpha(theme.selectedFill, 0.85), theme.selectedBorder);
  }

  if (labels.length > 0) {
    context.font = theme.smallFont;
    context.textBaseline = 'middle';
    context.fillStyle = 'rgba(0, 0, 0, 0.72)';
    for (const note of labels) {
      const [x, y, , h] = noteRect(viewport, note, scale);
      context.fillText(pitchName(note.pitch), Math.max(x, 0) + 3, y + h / 2 + 0.5);
    }
  }
}

/** Bar, beat and step lines, as dense as the zoom allows. */
function drawTimeLines(context: CanvasRenderingContext2D, viewport: Viewport, meter: MeterMap, stepTicks: number | null, theme: RollTheme, height: number): void {
  const scale = pxPerTick(viewport);
  const from = Math.max(0, Math.floor(ticksAtX(viewport, 0)));
  const to = Math.ceil(ticksAtX(viewport, viewport.width));
  const beatPx = (meter.ppq / 1) * scale;
  const showSteps = stepTicks !== null && stepTicks * scale >= 7;
  const showBeats = beatPx >= 6;
  const lines = gridLines(meter, from, to, { beats: showBeats, stepTicks: showSteps ? stepTicks : null });
  // Zoomed far out, bar lines thin out to every 2nd, 4th, 8th… bar.
  const barPx = (lines.find((line) => line.kind === 'bar')?.segment.barTicks ?? meter.ppq * 4) * scale;
  const barEvery = barPx >= 8 ? 1 : 2 ** Math.ceil(Math.log2(8 / Math.max(barPx, 0.001)));
  for (const kind of ['step', 'beat', 'bar'] as const) {
    context.fillStyle = kind === 'bar' ? theme.barLine : kind === 'beat' ? theme.beatLine : theme.stepLine;
    for (const line of lines) {
      if (line.kind !== kind || (kind === 'bar' && line.bar % barEvery !== 0)) continue;
      context.fillRect(Math.round(line.ticks * scale - viewport.scrollX), 0, 1, height);
    }
  }
}

export interface KeyboardScene {
  readonly viewport: Viewport;
  readonly theme: RollTheme;
  readonly width: number;
  /** Keys shown as pressed (auditioned). */
  readonly activePitch: number | null;
  /** The row under the pointer in the grid. */
  readonly hoverPitch: number | null;
}

/** A vertical piano keyboard with one row per semitone: white keys span the rows between black ones. */
export function drawKeyboard(context: CanvasRenderingContext2D, scene: KeyboardScene): void {
  const { viewport, theme, width } = scene;
  const { rowHeight, height } = viewport;
  context.fillStyle = theme.keyWhite;
  context.fillRect(0, 0, width, height);
  const low = pitchAtY(viewport, height);
  const high = pitchAtY(viewport, 0);
  context.fillStyle = theme.keyBorder;
  for (let pitch = low; pitch <= high; pitch++) {
    if (isBlack(pitch)) continue;
    // The line under a white key: at its row's bottom after B and E, else in the middle of the black key below.
    const y = yOfPitch(viewport, pitch) + rowHeight;
    const below = pitch - 1;
    const lineY = below >= 0 && isBlack(below) ? y + rowHeight / 2 : y;
    context.fillRect(0, Math.round(lineY) - 0.5, width, 1);
  }
  const blackWidth = Math.round(width * 0.6);
  for (let pitch = low; pitch <= high; pitch++) {
    const y = yOfPitch(viewport, pitch);
    if (pitch === scene.activePitch || pitch === scene.hoverPitch) {
      context.fillStyle = pitch === scene.activePitch ? theme.keyActive : withAlpha(theme.keyActive, 0.45);
      context.fillRect(isBlack(pitch) ? 0 : 0, Math.round(y), isBlack(pitch) ? blackWidth : width, Math.round(rowHeight));
      if (isBlack(pitch)) continue;
    }
    if (isBlack(pitch)) {
      context.fillStyle = theme.keyBlack;
      context.fillRect(0, Math.round(y), blackWidth, Math.max(1, Math.round(rowHeight)));
    }
  }
  if (rowHeight >= 7) {
    context.font = theme.smallFont;
    context.textBaseline = 'middle';
    context.textAlign = 'right';
    context.fillStyle = theme.keyLabel;
    for (let pitch = low; pitch <= high; pitch++) {
      if (pitch % 12 === 0 || (rowHeight >= 16 && !isBlack(pitch))) context.fillText(pitchName(pitch), width - 4, yOfPitch(viewport, pitch) + rowHeight / 2 + 0.5);
    }
    context.textAlign = 'left';
  }
  context.fillStyle = theme.rulerTick;
  context.fillRect(width - 1, 0, 1, height);
}

export interface RulerScene {
  readonly viewport: Viewport;
  readonly meter: MeterMap;
  readonly theme: RollTheme;
  readonly height: number;
  /** The loop region (or the one being dragged), shaded across the ruler. */
  readonly loop?: { readonly startTicks: number; readonly endTicks: number } | null;
}

/** Bar numbers (thinned when crowded), beat ticks, and the meter at each change. */
export function drawRuler(context: CanvasRenderingContext2D, scene: RulerScene): void {
  const { viewport, meter, theme, height } = scene;
  const scale = pxPerTick(viewport);
  context.fillStyle = theme.rulerBackground;
  context.fillRect(0, 0, viewport.width, height);
  if (scene.loop) {
    const x0 = Math.round(scene.loop.startTicks * scale - viewport.scrollX);
    const x1 = Math.round(scene.loop.endTicks * scale - viewport.scrollX);
    if (x1 >= 0 && x0 <= viewport.width) {
      context.fillStyle = theme.loopFill;
      context.fillRect(x0, 0, Math.max(1, x1 - x0), height);
      context.fillStyle = theme.loopEdge;
      context.fillRect(x0, 0, 2, height);
      context.fillRect(x1 - 2, 0, 2, height);
    }
  }
  const from = Math.max(0, Math.floor(ticksAtX(viewport, -40)));
  const to = Math.ceil(ticksAtX(viewport, viewport.width));
  const beatPx = meter.ppq * scale;
  const lines = gridLines(meter, from, to, { beats: beatPx >= 6, stepTicks: null });
  const barPx = (meter.segments[0]?.barTicks ?? meter.ppq * 4) * scale;
  const labelEvery = barPx >= 36 ? 1 : 2 ** Math.ceil(Math.log2(36 / Math.max(barPx, 0.001)));
  context.font = theme.font;
  context.textBaseline = 'middle';
  const segmentStarts = new Set(meter.segments.map((segment) => segment.startTicks));
  for (const line of lines) {
    const x = Math.round(line.ticks * scale - viewport.scrollX);
    if (line.kind === 'bar') {
      const labelled = line.bar % labelEvery === 0;
      context.fillStyle = theme.rulerTick;
      context.fillRect(x, labelled ? 0 : height - 8, 1, labelled ? height : 8);
      if (labelled) {
        context.fillStyle = theme.rulerText;
        context.fillText(String(line.bar + 1), x + 4, height / 2 - 3);
      }
      if (segmentStarts.has(line.ticks) && (line.ticks > 0 || meter.segments.length > 1 || line.segment.numerator !== 4 || line.segment.denominator !== 4)) {
        context.fillStyle = theme.meterText;
        context.fillText(`${line.segment.numerator}/${line.segment.denominator}`, x + 4, height - 7);
      }
    } else {
      context.fillStyle = theme.rulerTick;
      context.fillRect(x, height - 5, 1, 5);
    }
  }
  context.fillStyle = theme.rulerTick;
  context.fillRect(0, height - 1, viewport.width, 1);
}

export interface VelocityScene {
  readonly viewport: Viewport;
  readonly document: EditorDocument;
  readonly activeTrack: number;
  readonly selection: ReadonlySet<number>;
  readonly colour: string;
  readonly theme: RollTheme;
  readonly height: number;
  readonly overrides: ReadonlyMap<number, number> | null;
  readonly preview: NotePreview | null;
}

export const VELOCITY_PADDING = 6;

/** y of a velocity in the lane (127 at the top padding, 0 at the bottom). */
export function velocityY(velocity: number, height: number): number {
  return height - VELOCITY_PADDING / 2 - (velocity / 127) * (height - VELOCITY_PADDING * 1.5);
}

export function velocityAtY(y: number, height: number): number {
  const value = ((height - VELOCITY_PADDING / 2 - y) / (height - VELOCITY_PADDING * 1.5)) * 127;
  return Math.max(1, Math.min(127, Math.round(value)));
}

/** One stem per note of the active track, as tall as its velocity. */
export function drawVelocityLane(context: CanvasRenderingContext2D, scene: VelocityScene): void {
  const { viewport, theme, height, document } = scene;
  const width = viewport.width;
  context.fillStyle = theme.laneBackground;
  context.fillRect(0, 0, width, height);
  context.fillStyle = theme.laneGuide;
  for (const value of [32, 64, 96, 127]) context.fillRect(0, Math.round(velocityY(value, height)), width, 1);
  const track = document.tracks[scene.activeTrack];
  if (!track) return;
  const scale = pxPerTick(viewport);
  const from = Math.max(0, Math.floor(ticksAtX(viewport, -4)));
  const to = Math.ceil(ticksAtX(viewport, width + 4)) + 1;
  const normal = new RectBatch(false);
  const selected = new RectBatch(false);
  const heads = new RectBatch(false);
  const selectedHeads = new RectBatch(false);
  const headWidth = Math.max(1, Math.min(5, viewport.pxPerQuarter / 8));
  const hidden = scene.preview?.hidden;
  const draw = (note: EditorNote) => {
    const x = Math.round(note.ticks * scale - viewport.scrollX);
    const velocity = scene.overrides?.get(note.id) ?? note.velocity;
    const y = Math.round(velocityY(velocity, height));
    const isSelected = scene.selection.has(note.id);
    (isSelected ? selected : normal).add(0, x, y, 1, height - y);
    (isSelected ? selectedHeads : heads).add(0, x - Math.floor(headWidth / 2), y - 1, headWidth, 3);
  };
  // The lane shows every note whatever its pitch: the index is asked for all 128 rows.
  forEachNoteIn(trackIndexOf(track.notes, document.ppq), from, to, 0, 127, (note) => {
    if (note.ticks >= from && !hidden?.has(note.id)) draw(note);
  });
  for (const note of scene.preview?.notes ?? []) if (note.ticks >= from && note.ticks < to) draw(note);
  normal.fill(context, withAlpha(scene.colour, 0.6));
  heads.fill(context, scene.colour);
  selected.fill(context, withAlpha(theme.selectedFill, 0.7));
  selectedHeads.fill(context, theme.selectedFill);
}
