/**
 * A mini piano roll of one clip on a <canvas>: key rows (black keys darker, C labelled), bar lines,
 * and each note as a rectangle whose opacity follows its velocity. Drawn whole on every change of
 * the clip or the size; a clip of thousands of notes still draws in a frame. The editor comes later.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Clip } from '../../../../core/ipc/schemas';
import { formatClock, plural } from '../../lib/format';
import { pitchName } from '../../lib/music-labels';
import { useModel, useStudio } from '../../state/studio-context';
import { rollLayout, usedPitches, type RollLayout } from './clip-roll';

const HEIGHT = 196;

interface RollTheme {
  readonly background: string;
  readonly blackRow: string;
  readonly cLine: string;
  readonly barLine: string;
  readonly label: string;
  readonly font: string;
  readonly tracks: readonly string[];
}

function readTheme(element: Element): RollTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--roll-background', '#0f1114'),
    blackRow: read('--roll-black-row', 'rgba(255,255,255,0.025)'),
    cLine: read('--roll-c-line', 'rgba(255,255,255,0.09)'),
    barLine: read('--roll-bar-line', 'rgba(255,255,255,0.12)'),
    label: read('--text-dim', '#5d6773'),
    font: `9.5px ${read('--font-ui', 'system-ui, sans-serif')}`,
    tracks: [read('--plot-accent', '#5aa9ff'), read('--plot-teal', '#4fd1b5'), read('--plot-violet', '#b794ff'), read('--plot-amber', '#f2b45d')],
  };
}

/** Room at the left for the C labels. */
const GUTTER = 26;

function draw(canvas: HTMLCanvasElement, layout: RollLayout, theme: RollTheme, width: number, height: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.fillStyle = theme.background;
  context.fillRect(0, 0, width, height);

  context.save();
  context.translate(GUTTER, 0);
  for (const row of layout.rows) {
    if (row.black) {
      context.fillStyle = theme.blackRow;
      context.fillRect(0, row.y, width - GUTTER, row.height);
    }
    if (row.pitch % 12 === 0) {
      context.fillStyle = theme.cLine;
      context.fillRect(0, Math.round(row.y + row.height) - 0.5, width - GUTTER, 1);
    }
  }
  context.fillStyle = theme.barLine;
  for (const x of layout.bars) context.fillRect(Math.round(x) - 0.5, 0, 1, height);
  for (const note of layout.notes) {
    context.globalAlpha = 0.45 + 0.55 * (note.velocity / 127);
    context.fillStyle = theme.tracks[note.track % theme.tracks.length]!;
    const inset = note.height > 4 ? 0.5 : 0;
    context.fillRect(note.x + inset, note.y + inset, Math.max(1, note.width - 2 * inset), Math.max(1, note.height - 2 * inset));
  }
  context.globalAlpha = 1;
  context.restore();

  context.fillStyle = theme.label;
  context.font = theme.font;
  context.textBaseline = 'middle';
  for (const row of layout.rows) {
    if (row.pitch % 12 === 0) context.fillText(pitchName(row.pitch), 3, row.y + row.height / 2);
  }
}

function RollCanvas({ clip }: { clip: Clip }) {
  const host = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const measure = () => setWidth(Math.floor(element.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width <= GUTTER) return;
    const layout = rollLayout(clip, width - GUTTER, HEIGHT);
    draw(canvas, layout, readTheme(canvas), width, HEIGHT);
  }, [clip, width]);

  return (
    <div className="roll-host" ref={host}>
      <canvas
        ref={canvasRef}
        className="roll-canvas"
        style={{ width: width > 0 ? width : undefined, height: HEIGHT }}
        data-testid="clip-preview"
        data-clip-id={clip.id}
        role="img"
        aria-label={`Piano roll of ${clip.name}`}
      />
    </div>
  );
}

export function ClipPreview({ clipId }: { clipId: number | null }) {
  const studio = useModel();
  const entry = useStudio((state) => (clipId === null ? undefined : state.clipMusic[clipId]));
  const summary = useStudio((state) => (clipId === null ? undefined : state.clips.find((clip) => clip.id === clipId)));

  // Idempotent: fetches only when the music is missing (first view, or the clip changed).
  useEffect(() => {
    if (clipId !== null && !entry) void studio.clips.loadMusic(clipId);
  }, [studio, clipId, entry]);

  if (clipId === null || !summary) {
    return (
      <div className="clip-preview clip-preview-empty">
        <p className="muted">Select a clip to see its notes.</p>
      </div>
    );
  }
  const clip = entry?.clip ?? null;
  const range = clip ? usedPitches(clip) : null;
  return (
    <div className="clip-preview" aria-label={`Preview of ${summary.name}`}>
      <div className="clip-preview-header">
        <span className="clip-preview-name" title={summary.name}>
          {summary.name}
        </span>
        <span className="clip-preview-facts">
          {plural(summary.noteCount, 'note')} · {formatClock(summary.durationSeconds)}
          {range ? ` · ${pitchName(range.low)}–${pitchName(range.high)}` : ''}
          {clip?.tempos[0] ? ` · ${Math.round(clip.tempos[0].bpm)} bpm` : ''}
        </span>
      </div>
      {clip ? (
        <RollCanvas clip={clip} />
      ) : entry?.status === 'error' ? (
        <div className="roll-message" role="alert">
          Could not load the clip: {entry.error}
          <button type="button" className="button button-small" onClick={() => void studio.clips.loadMusic(clipId, { force: true })}>
            Try again
          </button>
        </div>
      ) : (
        <div className="roll-message">
          <span className="spinner" aria-hidden="true" /> Loading…
        </div>
      )}
    </div>
  );
}
