/**
 * A small piano roll on a <canvas>, as the clip preview draws one (clip-roll.ts lays it out) but
 * smaller and in one colour: the row's model colour, so a row of rolls reads as one model's music.
 * Redrawn when the music, colour or width changes.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { Piece } from '../../../../core/music/types';
import { rollLayout, type RollLayout } from '../clips/clip-roll';

interface MiniRollTheme {
  readonly background: string;
  readonly blackRow: string;
  readonly cLine: string;
  readonly barLine: string;
}

function readTheme(element: Element): MiniRollTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--roll-background', '#0d0f12'),
    blackRow: read('--roll-black-row', 'rgba(255,255,255,0.028)'),
    cLine: read('--roll-c-line', 'rgba(255,255,255,0.085)'),
    barLine: read('--roll-bar-line', 'rgba(255,255,255,0.13)'),
  };
}

function draw(canvas: HTMLCanvasElement, layout: RollLayout, theme: MiniRollTheme, colour: string, width: number, height: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.fillStyle = theme.background;
  context.fillRect(0, 0, width, height);
  for (const row of layout.rows) {
    if (row.black) {
      context.fillStyle = theme.blackRow;
      context.fillRect(0, row.y, width, row.height);
    }
    if (row.pitch % 12 === 0) {
      context.fillStyle = theme.cLine;
      context.fillRect(0, Math.round(row.y + row.height) - 0.5, width, 1);
    }
  }
  context.fillStyle = theme.barLine;
  for (const x of layout.bars) context.fillRect(Math.round(x) - 0.5, 0, 1, height);
  context.fillStyle = colour;
  for (const note of layout.notes) {
    context.globalAlpha = 0.5 + 0.5 * (note.velocity / 127);
    context.fillRect(note.x, note.y, Math.max(1, note.width - 0.5), Math.max(1, note.height - (note.height > 3 ? 0.5 : 0)));
  }
  context.globalAlpha = 1;
}

export interface MiniRollProps {
  readonly music: Piece;
  readonly colour: string;
  readonly height: number;
  readonly label: string;
  readonly testId?: string;
}

export function MiniRoll({ music, colour, height, label, testId = 'compare-roll' }: MiniRollProps) {
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
    if (!canvas || width <= 0) return;
    // rollLayout only reads; its parameter type is the clip schema's (mutable arrays), a Piece's are readonly.
    const layout = rollLayout(music as unknown as Parameters<typeof rollLayout>[0], width, height);
    draw(canvas, layout, readTheme(canvas), colour, width, height);
  }, [music, colour, width, height]);

  return (
    <div className="mini-roll-host" ref={host}>
      <canvas ref={canvasRef} className="mini-roll-canvas" style={{ width: width > 0 ? width : undefined, height }} data-testid={testId} role="img" aria-label={label} />
    </div>
  );
}
