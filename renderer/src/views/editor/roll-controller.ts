/**
 * The piano roll's canvases and pointer work, outside React: React would re-render on every scroll
 * and drag step; this draws on demand instead. Any change (the editor's store, the playback state, a
 * scroll, a drag) marks the layers it affects dirty and asks for one animation frame, which redraws
 * only those layers; when nothing changes, no frame runs. While playing, a frame per display refresh
 * moves the playhead (a DOM line moved with a transform, so no canvas is redrawn) and pages the view
 * along with it.
 *
 * Each frame's drawing (all its dirty layers) is timed with performance.measure('pianoroll-draw'), which the
 * pianoroll-frame benchmark reads; entries are cleared now and then so they do not pile up.
 *
 * Layers: note grid (`editor-canvas`), the keyboard at the left, the ruler above, the velocity lane
 * below, each redrawn only when what it shows changed (a sideways scroll leaves the keyboard alone).
 * The playhead, the rubber band and the hovered row are a few absolutely positioned elements above
 * the grid: moving them costs no canvas upload, which in Chromium's software compositing (no GPU)
 * is what a frame mostly pays for. A transparent scroll container above the grid gives native,
 * smooth wheel and trackpad scrolling and real scrollbars; its spacer is as large as the content.
 */
import type { EditorDocument, EditorNote } from '../../editor/document';
import { lastNoteEnd, notesWithIds } from '../../editor/document';
import type { EditorState, EditorStore } from '../../editor/editor-store';
import { buildMeterMap, editStepTicks, snapStepTicks, snapTicks, type MeterMap } from '../../editor/grid';
import { hitTest, type HitZone } from '../../editor/hit-test';
import { clampMove, idsInRect, resizedNote, type Edge } from '../../editor/operations';
import { trackIndexOf } from '../../editor/spatial-index';
import { defaultTrackView } from '../../editor/track-view';
import {
  centrePitches,
  clampScroll,
  contentHeight,
  DEFAULT_PX_PER_QUARTER,
  DEFAULT_ROW_HEIGHT,
  pitchAtY,
  pxPerTick,
  ticksAtX,
  xOfTicks,
  yOfPitch,
  zoomHorizontally,
  zoomVertically,
  type Viewport,
} from '../../editor/viewport';
import { loopFromDrag, sameLoop } from '../../editor/loop';
import type { LoopRegion, Playback, TrackPlayback } from '../../playback/playback-api';
import { drawGrid, drawKeyboard, drawRuler, drawVelocityLane, prepareCanvas, velocityAtY, type NotePreview } from './roll-draw';
import type { RollTheme } from './roll-theme';

export const KEYBOARD_WIDTH = 60;
export const RULER_HEIGHT = 26;
export const VELOCITY_HEIGHT = 80;
/** Pixels of pointer travel before a press on a note becomes a move. */
const DRAG_THRESHOLD = 3;
/** Room after the last note, so there is always somewhere to draw. */
const EXTRA_BARS = 16;
const MEASURE_NAME = 'pianoroll-draw';
const MEASURES_KEPT = 2000;

export interface RollElements {
  readonly grid: HTMLCanvasElement;
  /** A 1-pixel line over the grid, and a marker on the ruler. */
  readonly playhead: HTMLElement;
  readonly rulerPlayhead: HTMLElement;
  readonly rubber: HTMLElement;
  readonly hoverRow: HTMLElement;
  readonly keyboard: HTMLCanvasElement;
  readonly ruler: HTMLCanvasElement;
  readonly velocity: HTMLCanvasElement;
  readonly scroller: HTMLDivElement;
  readonly spacer: HTMLDivElement;
}

type Layer = 'grid' | 'overlay' | 'keyboard' | 'ruler' | 'velocity';
const ALL_LAYERS: readonly Layer[] = ['grid', 'overlay', 'keyboard', 'ruler', 'velocity'];
/** What a scroll makes stale, by direction. */
const HORIZONTAL_LAYERS: readonly Layer[] = ['grid', 'overlay', 'ruler', 'velocity'];
const VERTICAL_LAYERS: readonly Layer[] = ['grid', 'overlay', 'keyboard'];

type Drag =
  | {
      readonly kind: 'move';
      readonly ids: ReadonlySet<number>;
      readonly notes: readonly EditorNote[];
      readonly anchor: EditorNote;
      readonly originTicks: number;
      readonly originPitch: number;
      readonly startX: number;
      readonly startY: number;
      /** Pressed on a note already in a larger selection: a click without a drag selects it alone. */
      readonly narrowOnClick: boolean;
      started: boolean;
      deltaTicks: number;
      deltaPitch: number;
    }
  | {
      readonly kind: 'resize';
      readonly edge: Edge;
      readonly ids: ReadonlySet<number>;
      readonly notes: readonly EditorNote[];
      readonly anchor: EditorNote;
      readonly originTicks: number;
      deltaTicks: number;
    }
  | { readonly kind: 'draw'; readonly startTicks: number; readonly pitch: number; readonly minTicks: number; endTicks: number }
  | {
      readonly kind: 'rubber';
      readonly base: ReadonlySet<number>;
      readonly mode: 'replace' | 'add';
      readonly fromTicks: number;
      readonly fromPitch: number;
      toTicks: number;
      toPitch: number;
    }
  | { readonly kind: 'velocity'; readonly values: Map<number, number>; lastX: number; lastY: number }
  | { readonly kind: 'ruler' }
  /** Shift+drag on the ruler: a loop region from where it was pressed. */
  | { readonly kind: 'loop'; readonly fromTicks: number; toTicks: number }
  | { readonly kind: 'keyboard'; pitch: number };

export class RollController {
  readonly #elements: RollElements;
  readonly #playback: Playback;
  readonly #theme: RollTheme;
  #editor: EditorStore;
  #state: EditorState;
  #viewport: Viewport;
  /** The viewport the layers were last marked stale for (see #invalidateChange). */
  #accounted: Viewport;
  #meter: MeterMap;
  #meterSource: { readonly timeSignatures: EditorDocument['timeSignatures']; readonly ppq: number };
  #endTicks = 0;
  #contentTicks = 0;
  #dirty = new Set<Layer>(ALL_LAYERS);
  #frame: number | null = null;
  #drag: Drag | null = null;
  #pointer: { x: number; y: number; altKey: boolean } | null = null;
  #hoverPitch: number | null = null;
  #activeKey: number | null = null;
  #follow = true;
  #placed = false;
  #lastCreatedId: number | null = null;
  #measures = 0;
  readonly #cleanups: (() => void)[] = [];
  #unsubscribeEditor: () => void = () => undefined;
  /** The loop the ruler shows (and publishes as data-loop-start / data-loop-end). */
  #loop: LoopRegion | null = null;
  readonly #viewportListeners = new Set<(viewport: Viewport) => void>();

  constructor(elements: RollElements, editor: EditorStore, playback: Playback, theme: RollTheme) {
    this.#elements = elements;
    this.#playback = playback;
    this.#theme = theme;
    this.#editor = editor;
    this.#state = editor.state;
    const document = editor.state.document;
    this.#meterSource = document;
    this.#meter = buildMeterMap(document.timeSignatures, document.ppq);
    this.#viewport = { ppq: document.ppq, pxPerQuarter: DEFAULT_PX_PER_QUARTER, rowHeight: DEFAULT_ROW_HEIGHT, scrollX: 0, scrollY: 0, width: 0, height: 0 };
    this.#accounted = this.#viewport;
    this.#measureContent();
    this.#listen();
    this.#unsubscribeEditor = editor.store.subscribe(() => this.#onEditorChange());
    this.#cleanups.push(playback.subscribe(() => this.#onPlaybackChange()));
    this.#watchPixelRatio();
    this.#onPlaybackChange();
  }

  /**
   * Calls `listener` with the viewport after every scroll, zoom and resize (the states lane under
   * the roll draws on the same time axis). Returns the unsubscribe.
   */
  subscribeViewport(listener: (viewport: Viewport) => void): () => void {
    this.#viewportListeners.add(listener);
    return () => {
      this.#viewportListeners.delete(listener);
    };
  }

  destroy(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#frame = null;
    this.#unsubscribeEditor();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  /** Another clip was opened: new document, view back to its start. */
  setEditor(editor: EditorStore): void {
    if (editor === this.#editor) return;
    this.#unsubscribeEditor();
    this.#unsubscribeEditor = editor.store.subscribe(() => this.#onEditorChange());
    this.#editor = editor;
    this.#state = editor.state;
    this.#drag = null;
    this.#placed = false;
    this.#viewport = { ...this.#viewport, ppq: editor.state.document.ppq, scrollX: 0 };
    this.#onEditorChange();
    this.#place();
    this.#invalidate(ALL_LAYERS);
  }

  /** A window moved to a screen of another pixel density: every canvas is sized and drawn again. */
  #watchPixelRatio(): void {
    let query: MediaQueryList | null = null;
    const listen = () => {
      query?.removeEventListener('change', onChange);
      query = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      query.addEventListener('change', onChange);
    };
    const onChange = () => {
      listen();
      this.#invalidate(ALL_LAYERS);
    };
    listen();
    this.#cleanups.push(() => query?.removeEventListener('change', onChange));
  }

  get viewport(): Viewport {
    return this.#viewport;
  }

  /** The grid's visible size changed (the scroll container's client box). */
  resize(width: number, height: number): void {
    if (width === this.#viewport.width && height === this.#viewport.height) return;
    this.#viewport = { ...this.#viewport, width, height };
    this.#place();
    this.#setViewport(clampScroll(this.#viewport, this.#contentWidth()));
    this.#invalidate(ALL_LAYERS);
  }

  setFollow(on: boolean): void {
    this.#follow = on;
  }

  /** Zooms by factors around the middle of the view (the toolbar's buttons, Ctrl+=/−). */
  zoomBy(factorX: number, factorY = 1): void {
    let next = this.#viewport;
    if (factorX !== 1) next = zoomHorizontally(next, next.pxPerQuarter * factorX, next.width / 2);
    if (factorY !== 1) next = zoomVertically(next, next.rowHeight * factorY, next.height / 2);
    this.#applyZoom(next);
  }

  /** The whole music in view, horizontally. */
  zoomToFit(): void {
    const ticks = Math.max(this.#endTicks, this.#meter.segments[0]!.barTicks);
    const pxPerQuarter = ((this.#viewport.width - 8) / ticks) * this.#viewport.ppq;
    this.#applyZoom({ ...zoomHorizontally(this.#viewport, pxPerQuarter, 0), scrollX: 0 });
  }

  /** Where the playhead is now. */
  playheadTicks(): number {
    return this.#playback.getState().playing ? this.#playback.currentTicks() : this.#playback.getState().positionTicks;
  }

  /** Escape: drops a drag in progress; true when there was one. */
  cancelDrag(): boolean {
    if (this.#drag === null) return false;
    this.#drag = null;
    this.#invalidate(['grid', 'overlay', 'velocity', 'keyboard', 'ruler']);
    return true;
  }

  // ---- state changes ---------------------------------------------------------------------

  #onEditorChange(): void {
    const previous = this.#state;
    const state = this.#editor.state;
    this.#state = state;
    if (state.document !== previous.document) {
      const document = state.document;
      if (document.timeSignatures !== this.#meterSource.timeSignatures || document.ppq !== this.#meterSource.ppq) {
        this.#meterSource = document;
        this.#meter = buildMeterMap(document.timeSignatures, document.ppq);
        this.#invalidate(['ruler']);
      }
      this.#measureContent();
    }
    if (state.tool !== previous.tool) this.#updateCursor(null);
    this.#invalidate(['grid', 'velocity']);
  }

  #onPlaybackChange(): void {
    const loop = this.#playback.getState().loop;
    if (!sameLoop(loop, this.#loop)) {
      this.#loop = loop;
      const { ruler } = this.#elements;
      if (loop) {
        ruler.dataset.loopStart = String(loop.startTicks);
        ruler.dataset.loopEnd = String(loop.endTicks);
      } else {
        delete ruler.dataset.loopStart;
        delete ruler.dataset.loopEnd;
      }
      this.#invalidate(['ruler']);
    }
    this.#invalidate(['overlay']);
  }

  #measureContent(): void {
    const document = this.#state.document;
    this.#endTicks = lastNoteEnd(document);
    const bar = this.#meter.segments[this.#meter.segments.length - 1]!.barTicks;
    const content = Math.ceil(this.#endTicks / bar) * bar + EXTRA_BARS * bar;
    if (content !== this.#contentTicks) {
      this.#contentTicks = content;
      this.#sizeSpacer();
    }
  }

  #contentWidth(): number {
    return Math.max(this.#viewport.width, this.#contentTicks * pxPerTick(this.#viewport));
  }

  #sizeSpacer(): void {
    const { spacer } = this.#elements;
    spacer.style.width = `${Math.ceil(this.#contentWidth())}px`;
    spacer.style.height = `${contentHeight(this.#viewport)}px`;
  }

  /** The first view of a clip: its start, its pitches centred. */
  #place(): void {
    if (this.#placed || this.#viewport.height === 0) return;
    this.#placed = true;
    let low = 128;
    let high = -1;
    for (const track of this.#state.document.tracks) {
      const index = trackIndexOf(track.notes, this.#state.document.ppq);
      low = Math.min(low, index.lowPitch);
      high = Math.max(high, index.highPitch);
    }
    this.#setViewport(high < 0 ? centrePitches(this.#viewport, 60, 72) : centrePitches(this.#viewport, low, high));
  }

  #applyZoom(next: Viewport): void {
    this.#viewport = next;
    this.#sizeSpacer();
    this.#setViewport(clampScroll(next, this.#contentWidth()));
  }

  /** Makes the scroll container show the viewport's scroll, and publishes the mapping. */
  #setViewport(next: Viewport): void {
    this.#viewport = next;
    this.#sizeSpacer();
    const { scroller } = this.#elements;
    if (Math.abs(scroller.scrollLeft - next.scrollX) >= 0.5) scroller.scrollLeft = next.scrollX;
    if (Math.abs(scroller.scrollTop - next.scrollY) >= 0.5) scroller.scrollTop = next.scrollY;
    // The browser may have clamped or rounded: what it shows is the truth.
    this.#viewport = { ...this.#viewport, scrollX: scroller.scrollLeft, scrollY: scroller.scrollTop };
    this.#publishViewport();
    this.#invalidateChange();
  }

  /** Marks what the viewport's change since the last call made stale: a sideways scroll leaves the keyboard alone, and so on. */
  #invalidateChange(): void {
    const before = this.#accounted;
    const after = this.#viewport;
    this.#accounted = after;
    const horizontal = before.scrollX !== after.scrollX || before.pxPerQuarter !== after.pxPerQuarter || before.width !== after.width;
    const vertical = before.scrollY !== after.scrollY || before.rowHeight !== after.rowHeight || before.height !== after.height;
    if (horizontal) this.#invalidate(HORIZONTAL_LAYERS);
    if (vertical) this.#invalidate(VERTICAL_LAYERS);
    if (before.ppq !== after.ppq) this.#invalidate(ALL_LAYERS);
  }

  #publishViewport(): void {
    const { grid } = this.#elements;
    const viewport = this.#viewport;
    // The mapping, for whoever needs to turn a time and pitch into a point (the end-to-end tests).
    grid.dataset.scrollX = String(viewport.scrollX);
    grid.dataset.scrollY = String(viewport.scrollY);
    grid.dataset.pxPerQuarter = String(viewport.pxPerQuarter);
    grid.dataset.rowHeight = String(viewport.rowHeight);
    grid.dataset.ppq = String(viewport.ppq);
    for (const listener of [...this.#viewportListeners]) listener(viewport);
  }

  // ---- frames ---------------------------------------------------------------------------

  #invalidate(layers: readonly Layer[]): void {
    for (const layer of layers) this.#dirty.add(layer);
    this.#requestFrame();
  }

  #requestFrame(): void {
    if (this.#frame === null) this.#frame = requestAnimationFrame(() => this.#onFrame());
  }

  #onFrame(): void {
    this.#frame = null;
    const playing = this.#playback.getState().playing;
    if (playing) {
      this.#followPlayhead();
      this.#dirty.add('overlay');
    }
    if (this.#drag !== null && this.#pointer !== null) this.#edgeScroll();
    this.#draw();
    if (playing || (this.#drag !== null && this.#isNearEdge())) this.#requestFrame();
  }

  #followPlayhead(): void {
    if (!this.#follow || this.#drag !== null) return;
    const x = xOfTicks(this.#viewport, this.#playback.currentTicks());
    const width = this.#viewport.width;
    if (x >= 0 && x <= width * 0.92) return;
    this.#setViewport(clampScroll({ ...this.#viewport, scrollX: Math.max(0, this.#viewport.scrollX + x - width * 0.08) }, this.#contentWidth()));
  }

  #isNearEdge(): boolean {
    const pointer = this.#pointer;
    if (!pointer || !this.#drag || this.#drag.kind === 'ruler' || this.#drag.kind === 'loop' || this.#drag.kind === 'keyboard' || this.#drag.kind === 'velocity') return false;
    return pointer.x < 16 || pointer.x > this.#viewport.width - 16 || pointer.y < 12 || pointer.y > this.#viewport.height - 12;
  }

  /** Dragging to an edge scrolls the view that way. */
  #edgeScroll(): void {
    if (!this.#isNearEdge()) return;
    const pointer = this.#pointer!;
    const { width, height } = this.#viewport;
    const dx = pointer.x < 16 ? -12 : pointer.x > width - 16 ? 12 : 0;
    const dy = pointer.y < 12 ? -8 : pointer.y > height - 12 ? 8 : 0;
    this.#setViewport(clampScroll({ ...this.#viewport, scrollX: this.#viewport.scrollX + dx, scrollY: this.#viewport.scrollY + dy }, this.#contentWidth()));
    this.#continueDrag(pointer.x, pointer.y, pointer.altKey);
  }

  #draw(): void {
    const dirty = this.#dirty;
    if (dirty.size === 0) return;
    const viewport = this.#viewport;
    if (viewport.width <= 0 || viewport.height <= 0) return;
    this.#dirty = new Set();
    const elements = this.#elements;
    const state = this.#state;
    const document = state.document;
    const playhead = this.playheadTicks();
    const preview = this.#preview();
    const overrides = this.#drag?.kind === 'velocity' ? this.#drag.values : null;
    const trackViews = state.trackViews;
    const started = performance.now();
    if (dirty.has('grid')) {
      const context = prepareCanvas(elements.grid, viewport.width, viewport.height);
      if (context) {
        drawGrid(context, {
          viewport,
          document,
          meter: this.#meter,
          activeTrack: state.activeTrack,
          selection: state.selection,
          trackViews,
          theme: this.#theme,
          stepTicks: snapStepTicks(state.snap, document.ppq),
          endTicks: this.#endTicks,
          preview,
          velocityOverrides: overrides,
        });
      }
    }
    if (dirty.has('overlay')) this.#placeOverlay(playhead);
    if (dirty.has('keyboard')) {
      const context = prepareCanvas(elements.keyboard, KEYBOARD_WIDTH, viewport.height);
      if (context) drawKeyboard(context, { viewport, theme: this.#theme, width: KEYBOARD_WIDTH, activePitch: this.#activeKey, hoverPitch: this.#hoverPitch });
    }
    if (dirty.has('ruler')) {
      const context = prepareCanvas(elements.ruler, viewport.width, RULER_HEIGHT);
      if (context) {
        const drag = this.#drag;
        const loop = drag?.kind === 'loop' ? loopFromDrag(drag.fromTicks, drag.toTicks) : this.#loop;
        drawRuler(context, { viewport, meter: this.#meter, theme: this.#theme, height: RULER_HEIGHT, loop });
      }
    }
    if (dirty.has('velocity')) {
      const context = prepareCanvas(elements.velocity, viewport.width, VELOCITY_HEIGHT);
      const track = document.tracks[state.activeTrack];
      if (context) {
        drawVelocityLane(context, {
          viewport,
          document,
          activeTrack: state.activeTrack,
          selection: state.selection,
          colour: track ? (trackViews.get(track.id) ?? defaultTrackView(state.activeTrack)).colour : '#5aa9ff',
          theme: this.#theme,
          height: VELOCITY_HEIGHT,
          overrides,
          preview,
        });
      }
    }
    this.#recordDraw(started);
  }

  /** Moves the playhead, the rubber band and the hovered row: transforms only, no canvas. */
  #placeOverlay(playheadTicks: number): void {
    const { playhead, rulerPlayhead, rubber, hoverRow } = this.#elements;
    const viewport = this.#viewport;
    const x = Math.round(xOfTicks(viewport, playheadTicks));
    const visible = x >= -1 && x <= viewport.width + 1;
    setShown(playhead, visible);
    setShown(rulerPlayhead, visible);
    if (visible) {
      playhead.style.transform = `translateX(${x}px)`;
      rulerPlayhead.style.transform = `translateX(${x}px)`;
    }
    const drag = this.#drag;
    setShown(rubber, drag?.kind === 'rubber');
    if (drag?.kind === 'rubber') {
      const x0 = xOfTicks(viewport, Math.min(drag.fromTicks, drag.toTicks));
      const x1 = xOfTicks(viewport, Math.max(drag.fromTicks, drag.toTicks));
      const y0 = yOfPitch(viewport, Math.max(drag.fromPitch, drag.toPitch));
      const y1 = yOfPitch(viewport, Math.min(drag.fromPitch, drag.toPitch)) + viewport.rowHeight;
      rubber.style.transform = `translate(${Math.round(x0)}px, ${Math.round(y0)}px)`;
      rubber.style.width = `${Math.max(1, Math.round(x1 - x0))}px`;
      rubber.style.height = `${Math.max(1, Math.round(y1 - y0))}px`;
    }
    setShown(hoverRow, this.#hoverPitch !== null);
    if (this.#hoverPitch !== null) {
      hoverRow.style.transform = `translateY(${Math.round(yOfPitch(viewport, this.#hoverPitch))}px)`;
      hoverRow.style.height = `${Math.round(viewport.rowHeight)}px`;
    }
  }

  #recordDraw(started: number): void {
    try {
      performance.measure(MEASURE_NAME, { start: started, end: performance.now() });
      if (++this.#measures >= MEASURES_KEPT) {
        this.#measures = 0;
        performance.clearMeasures(MEASURE_NAME);
      }
    } catch {
      // Timing is a help for the benchmark, never a reason to fail a draw.
    }
  }

  /** The notes a drag would change, where they would land. */
  #preview(): NotePreview | null {
    const drag = this.#drag;
    if (!drag) return null;
    if (drag.kind === 'move') {
      if (!drag.started) return null;
      return { hidden: drag.ids, notes: drag.notes.map((note) => ({ ...note, ticks: note.ticks + drag.deltaTicks, pitch: note.pitch + drag.deltaPitch })) };
    }
    if (drag.kind === 'resize') {
      const minimum = this.#minDuration();
      return { hidden: drag.ids, notes: drag.notes.map((note) => resizedNote(note, drag.edge, drag.deltaTicks, minimum)) };
    }
    if (drag.kind === 'draw') {
      return { hidden: new Set(), notes: [{ id: -1, ticks: drag.startTicks, durationTicks: drag.endTicks - drag.startTicks, pitch: drag.pitch, velocity: this.#state.drawVelocity }] };
    }
    return null;
  }

  // ---- input ----------------------------------------------------------------------------

  #listen(): void {
    const { scroller, keyboard, ruler, velocity } = this.#elements;
    const on = <K extends keyof HTMLElementEventMap>(element: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void, options?: AddEventListenerOptions) => {
      element.addEventListener(type, handler as EventListener, options);
      this.#cleanups.push(() => element.removeEventListener(type, handler as EventListener, options));
    };
    on(scroller, 'scroll', () => {
      const { scrollLeft, scrollTop } = scroller;
      if (scrollLeft === this.#viewport.scrollX && scrollTop === this.#viewport.scrollY) return;
      this.#viewport = { ...this.#viewport, scrollX: scrollLeft, scrollY: scrollTop };
      this.#publishViewport();
      if (this.#drag !== null && this.#pointer !== null) this.#continueDrag(this.#pointer.x, this.#pointer.y, this.#pointer.altKey);
      this.#invalidateChange();
    });
    on(scroller, 'wheel', (event) => this.#onWheel(event, 'grid'), { passive: false });
    on(keyboard, 'wheel', (event) => this.#onWheel(event, 'keyboard'), { passive: false });
    on(ruler, 'wheel', (event) => this.#onWheel(event, 'time'), { passive: false });
    on(velocity, 'wheel', (event) => this.#onWheel(event, 'time'), { passive: false });
    on(scroller, 'pointerdown', (event) => this.#onGridDown(event));
    on(scroller, 'pointermove', (event) => this.#onPointerMove(event));
    on(scroller, 'pointerup', (event) => this.#onPointerUp(event));
    on(scroller, 'pointercancel', () => this.cancelDrag());
    on(scroller, 'pointerleave', () => {
      if (this.#drag === null && this.#hoverPitch !== null) {
        this.#hoverPitch = null;
        this.#invalidate(['overlay', 'keyboard']);
      }
    });
    on(scroller, 'dblclick', (event) => this.#onDoubleClick(event));
    on(scroller, 'contextmenu', (event) => this.#onContextMenu(event));
    on(keyboard, 'pointerdown', (event) => this.#onKeyboardDown(event));
    on(keyboard, 'pointermove', (event) => this.#onPointerMove(event));
    on(keyboard, 'pointerup', (event) => this.#onPointerUp(event));
    on(ruler, 'pointerdown', (event) => this.#onRulerDown(event));
    on(ruler, 'pointermove', (event) => this.#onPointerMove(event));
    on(ruler, 'pointerup', (event) => this.#onPointerUp(event));
    on(velocity, 'pointerdown', (event) => this.#onVelocityDown(event));
    on(velocity, 'pointermove', (event) => this.#onPointerMove(event));
    on(velocity, 'pointerup', (event) => this.#onPointerUp(event));
  }

  #onWheel(event: WheelEvent, area: 'grid' | 'keyboard' | 'time'): void {
    const rect = this.#elements.scroller.getBoundingClientRect();
    const lineScale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? this.#viewport.height : 1;
    const dx = event.deltaX * lineScale;
    const dy = event.deltaY * lineScale;
    if (event.ctrlKey || event.metaKey) {
      // Ctrl+wheel (and a trackpad pinch, which Chromium reports so): zoom time around the pointer.
      event.preventDefault();
      const factor = Math.exp(-dy * 0.0025);
      this.#applyZoom(zoomHorizontally(this.#viewport, this.#viewport.pxPerQuarter * factor, Math.max(0, event.clientX - rect.left)));
      return;
    }
    if (event.altKey) {
      event.preventDefault();
      const factor = Math.exp(-(dy || dx) * 0.0025);
      this.#applyZoom(zoomVertically(this.#viewport, this.#viewport.rowHeight * factor, Math.max(0, event.clientY - rect.top)));
      return;
    }
    if (area === 'grid') return; // the scroll container scrolls by itself
    event.preventDefault();
    const scroll =
      area === 'keyboard'
        ? { ...this.#viewport, scrollY: this.#viewport.scrollY + dy }
        : { ...this.#viewport, scrollX: this.#viewport.scrollX + (Math.abs(dx) > Math.abs(dy) ? dx : dy) };
    this.#setViewport(clampScroll(scroll, this.#contentWidth()));
  }

  /** The pointer in grid coordinates; null over the scroll container's scrollbars. */
  #gridPoint(event: MouseEvent): { x: number; y: number } | null {
    const { scroller } = this.#elements;
    const rect = scroller.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    if (x < 0 || y < 0 || x >= scroller.clientWidth || y >= scroller.clientHeight) return null;
    return { x, y };
  }

  #minDuration(): number {
    const step = snapStepTicks(this.#state.snap, this.#state.document.ppq);
    return step === null ? 1 : Math.max(1, Math.round(step));
  }

  #snap(ticks: number, mode: 'nearest' | 'floor' | 'ceil', free: boolean): number {
    return snapTicks(this.#meter, ticks, free ? null : snapStepTicks(this.#state.snap, this.#state.document.ppq), mode);
  }

  #activeTrackIndex() {
    const track = this.#state.document.tracks[this.#state.activeTrack];
    return track ? trackIndexOf(track.notes, this.#state.document.ppq) : null;
  }

  #trackPlayback(): TrackPlayback | undefined {
    const track = this.#state.document.tracks[this.#state.activeTrack];
    if (!track) return undefined;
    const view = this.#state.trackViews.get(track.id) ?? defaultTrackView(this.#state.activeTrack);
    return { muted: view.muted, solo: view.solo, channel: track.channel, program: track.program };
  }

  #audition(pitch: number, velocity = this.#state.drawVelocity): void {
    this.#playback.audition(pitch, velocity, this.#trackPlayback());
  }

  #onGridDown(event: PointerEvent): void {
    const point = this.#gridPoint(event);
    if (!point || (event.button !== 0 && event.button !== 2)) return;
    this.#elements.scroller.focus({ preventScroll: true });
    const index = this.#activeTrackIndex();
    const hit = index ? hitTest(index, this.#viewport, point.x, point.y) : null;
    const editor = this.#editor;
    if (event.button === 2) {
      // Right-click deletes with the draw tool (as in FL Studio and Signal's pencil).
      if (hit && this.#state.tool === 'draw') {
        editor.select([hit.note.id]);
        editor.execute({ kind: 'delete' });
      }
      return;
    }
    this.#pointer = { x: point.x, y: point.y, altKey: event.altKey };
    const ticks = ticksAtX(this.#viewport, point.x);
    const pitch = pitchAtY(this.#viewport, point.y);
    if (hit) {
      const selected = this.#state.selection.has(hit.note.id);
      if (event.shiftKey || event.ctrlKey || event.metaKey) {
        editor.select([hit.note.id], 'toggle');
        if (selected) return;
      } else if (!selected) editor.select([hit.note.id]);
      const ids = this.#editor.state.selection;
      const notes = notesWithIds(this.#state.document, ids);
      this.#audition(hit.note.pitch, hit.note.velocity);
      if (hit.zone === 'body') {
        const narrowOnClick = selected && !event.shiftKey && ids.size > 1;
        this.#drag = { kind: 'move', ids, notes, anchor: hit.note, originTicks: ticks, originPitch: pitch, startX: point.x, startY: point.y, narrowOnClick, started: false, deltaTicks: 0, deltaPitch: 0 };
      } else {
        this.#drag = { kind: 'resize', edge: hit.zone, ids, notes, anchor: hit.note, originTicks: ticks, deltaTicks: 0 };
      }
    } else if (this.#state.tool === 'draw') {
      const start = this.#snap(ticks, 'floor', event.altKey);
      const length = editStepTicks(this.#state.snap, this.#state.document.ppq);
      editor.clearSelection();
      this.#drag = { kind: 'draw', startTicks: start, pitch, minTicks: length, endTicks: start + length };
      this.#audition(pitch);
    } else {
      const additive = event.shiftKey || event.ctrlKey || event.metaKey;
      if (!additive) editor.clearSelection();
      this.#drag = { kind: 'rubber', base: additive ? this.#state.selection : new Set(), mode: additive ? 'add' : 'replace', fromTicks: ticks, fromPitch: pitch, toTicks: ticks, toPitch: pitch };
    }
    this.#elements.scroller.setPointerCapture(event.pointerId);
    this.#invalidate(['grid', 'overlay', 'velocity']);
  }

  #onKeyboardDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    const rect = this.#elements.keyboard.getBoundingClientRect();
    const pitch = pitchAtY(this.#viewport, event.clientY - rect.top);
    this.#drag = { kind: 'keyboard', pitch };
    this.#activeKey = pitch;
    this.#audition(pitch);
    this.#elements.keyboard.setPointerCapture(event.pointerId);
    this.#invalidate(['keyboard']);
  }

  #onRulerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    if (event.shiftKey) {
      const ticks = this.#rulerTicks(event);
      this.#drag = { kind: 'loop', fromTicks: ticks, toTicks: ticks };
      this.#elements.ruler.setPointerCapture(event.pointerId);
      this.#invalidate(['ruler']);
      return;
    }
    this.#drag = { kind: 'ruler' };
    this.#seekTo(event);
    this.#elements.ruler.setPointerCapture(event.pointerId);
  }

  /** The ruler's time under the pointer, on the grid (Alt: off it). */
  #rulerTicks(event: PointerEvent): number {
    const rect = this.#elements.ruler.getBoundingClientRect();
    return this.#snap(ticksAtX(this.#viewport, event.clientX - rect.left), 'nearest', event.altKey);
  }

  #seekTo(event: PointerEvent): void {
    const ticks = this.#rulerTicks(event);
    this.#playback.seek(ticks);
    this.#invalidate(['overlay', 'ruler']);
  }

  #onVelocityDown(event: PointerEvent): void {
    if (event.button !== 0 || !this.#state.document.tracks[this.#state.activeTrack]) return;
    const rect = this.#elements.velocity.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    this.#drag = { kind: 'velocity', values: new Map(), lastX: x, lastY: y };
    this.#paintVelocity(x, y);
    this.#elements.velocity.setPointerCapture(event.pointerId);
  }

  /**
   * Sets the velocity of the notes starting between the last and this pointer x, along the line
   * between them (every note under the line, as in Signal and FL Studio; the toolbar sets the
   * selection's).
   */
  #paintVelocity(x: number, y: number): void {
    const drag = this.#drag;
    if (drag?.kind !== 'velocity') return;
    const track = this.#state.document.tracks[this.#state.activeTrack];
    if (!track) return;
    const left = Math.min(drag.lastX, x) - 2;
    const right = Math.max(drag.lastX, x) + 2;
    const from = Math.max(0, Math.floor(ticksAtX(this.#viewport, left)));
    const to = Math.ceil(ticksAtX(this.#viewport, right)) + 1;
    const scale = pxPerTick(this.#viewport);
    for (const note of track.notes.slice(lowerBoundByTicks(track.notes, from), lowerBoundByTicks(track.notes, to))) {
      const noteX = note.ticks * scale - this.#viewport.scrollX;
      const t = right - left <= 4 ? 0 : Math.min(1, Math.max(0, (noteX - drag.lastX) / (x - drag.lastX || 1)));
      drag.values.set(note.id, velocityAtY(drag.lastY + (y - drag.lastY) * t, VELOCITY_HEIGHT));
    }
    drag.lastX = x;
    drag.lastY = y;
    this.#invalidate(['velocity', 'grid']);
  }

  #onPointerMove(event: PointerEvent): void {
    const drag = this.#drag;
    if (drag === null) {
      this.#hover(event);
      return;
    }
    if (drag.kind === 'ruler') {
      this.#seekTo(event);
      return;
    }
    if (drag.kind === 'loop') {
      drag.toTicks = this.#rulerTicks(event);
      this.#invalidate(['ruler']);
      return;
    }
    if (drag.kind === 'keyboard') {
      const rect = this.#elements.keyboard.getBoundingClientRect();
      const pitch = pitchAtY(this.#viewport, event.clientY - rect.top);
      if (pitch !== drag.pitch) {
        drag.pitch = pitch;
        this.#activeKey = pitch;
        this.#audition(pitch);
        this.#invalidate(['keyboard']);
      }
      return;
    }
    if (drag.kind === 'velocity') {
      const rect = this.#elements.velocity.getBoundingClientRect();
      this.#paintVelocity(event.clientX - rect.left, event.clientY - rect.top);
      return;
    }
    const rect = this.#elements.scroller.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    this.#pointer = { x, y, altKey: event.altKey };
    this.#continueDrag(x, y, event.altKey);
    if (this.#isNearEdge()) this.#requestFrame();
  }

  #continueDrag(x: number, y: number, free: boolean): void {
    const drag = this.#drag;
    if (!drag) return;
    const ticks = ticksAtX(this.#viewport, x);
    const pitch = pitchAtY(this.#viewport, y);
    switch (drag.kind) {
      case 'move': {
        if (!drag.started && Math.hypot(x - drag.startX, y - drag.startY) < DRAG_THRESHOLD) return;
        drag.started = true;
        // The grabbed note's start lands on the grid; the others keep their distance to it.
        const landed = this.#snap(drag.anchor.ticks + (ticks - drag.originTicks), 'nearest', free);
        const clamped = clampMove(drag.notes, landed - drag.anchor.ticks, pitch - drag.originPitch);
        if (clamped.deltaPitch !== drag.deltaPitch) this.#audition(drag.anchor.pitch + clamped.deltaPitch, drag.anchor.velocity);
        drag.deltaTicks = clamped.deltaTicks;
        drag.deltaPitch = clamped.deltaPitch;
        break;
      }
      case 'resize': {
        const edgeTicks = drag.edge === 'end' ? drag.anchor.ticks + drag.anchor.durationTicks : drag.anchor.ticks;
        const landed = this.#snap(edgeTicks + (ticks - drag.originTicks), 'nearest', free);
        drag.deltaTicks = landed - edgeTicks;
        break;
      }
      case 'draw': {
        const end = this.#snap(ticks, 'ceil', free);
        drag.endTicks = Math.max(drag.startTicks + drag.minTicks, end);
        break;
      }
      case 'rubber': {
        drag.toTicks = ticks;
        drag.toPitch = pitch;
        const rect = {
          fromTicks: Math.min(drag.fromTicks, ticks),
          toTicks: Math.max(drag.fromTicks, ticks),
          lowPitch: Math.min(drag.fromPitch, pitch),
          highPitch: Math.max(drag.fromPitch, pitch),
        };
        if (this.#state.document.tracks[this.#state.activeTrack]) {
          const inside = idsInRect(this.#state.document, this.#state.activeTrack, rect);
          this.#editor.select(drag.mode === 'add' ? [...drag.base, ...inside] : inside);
        }
        this.#invalidate(['overlay']);
        return;
      }
      default:
        return;
    }
    this.#invalidate(['grid', 'velocity']);
  }

  #onPointerUp(event: PointerEvent): void {
    const drag = this.#drag;
    this.#drag = null;
    this.#pointer = null;
    if (!drag) return;
    const editor = this.#editor;
    switch (drag.kind) {
      case 'move':
        if (drag.started && (drag.deltaTicks !== 0 || drag.deltaPitch !== 0)) editor.execute({ kind: 'move', deltaTicks: drag.deltaTicks, deltaPitch: drag.deltaPitch });
        else if (!drag.started && drag.narrowOnClick) editor.select([drag.anchor.id]);
        break;
      case 'resize':
        if (drag.deltaTicks !== 0) editor.execute({ kind: 'resize', edge: drag.edge, deltaTicks: drag.deltaTicks, minDuration: this.#minDuration() });
        break;
      case 'draw':
        if (editor.execute({ kind: 'add-note', note: { ticks: drag.startTicks, durationTicks: drag.endTicks - drag.startTicks, pitch: drag.pitch, velocity: this.#state.drawVelocity } })) {
          this.#lastCreatedId = [...editor.state.selection][0] ?? null;
        }
        break;
      case 'velocity':
        if (drag.values.size > 0) editor.execute({ kind: 'set-velocities', velocities: drag.values });
        break;
      case 'keyboard':
        this.#activeKey = null;
        break;
      case 'loop':
        // A Shift+click (no drag) clears the loop.
        this.#playback.setLoop(loopFromDrag(drag.fromTicks, drag.toTicks));
        this.#invalidate(['ruler']);
        break;
      default:
        break;
    }
    this.#hover(event);
    this.#invalidate(['grid', 'overlay', 'velocity', 'keyboard']);
  }

  #onDoubleClick(event: MouseEvent): void {
    if (this.#state.tool !== 'draw') return;
    const point = this.#gridPoint(event);
    const index = this.#activeTrackIndex();
    if (!point || !index) return;
    const hit = hitTest(index, this.#viewport, point.x, point.y);
    // The note the double-click's first click just drew stays.
    if (!hit || hit.note.id === this.#lastCreatedId) return;
    this.#editor.select([hit.note.id]);
    this.#editor.execute({ kind: 'delete' });
  }

  #onContextMenu(event: MouseEvent): void {
    if (this.#gridPoint(event)) event.preventDefault();
  }

  #hover(event: MouseEvent): void {
    const point = this.#gridPoint(event);
    const pitch = point ? pitchAtY(this.#viewport, point.y) : null;
    const index = this.#activeTrackIndex();
    const hit = point && index ? hitTest(index, this.#viewport, point.x, point.y) : null;
    this.#updateCursor(hit?.zone ?? null);
    if (pitch !== this.#hoverPitch) {
      this.#hoverPitch = pitch;
      this.#invalidate(['overlay', 'keyboard']);
    }
  }

  #updateCursor(zone: HitZone | null): void {
    const cursor = zone === 'start' || zone === 'end' ? 'ew-resize' : zone === 'body' ? 'move' : this.#state.tool === 'draw' ? 'crosshair' : 'default';
    const { scroller } = this.#elements;
    if (scroller.style.cursor !== cursor) scroller.style.cursor = cursor;
  }
}

/** The first index whose note starts at or after `ticks` (notes sorted by start). */
function lowerBoundByTicks(notes: readonly EditorNote[], ticks: number): number {
  let low = 0;
  let high = notes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (notes[middle]!.ticks < ticks) low = middle + 1;
    else high = middle;
  }
  return low;
}

function setShown(element: HTMLElement, shown: boolean): void {
  const display = shown ? '' : 'none';
  if (element.style.display !== display) element.style.display = display;
}
