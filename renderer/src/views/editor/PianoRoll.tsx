/**
 * The piano roll's DOM: ruler, keyboard, note grid with its overlay and scroll container, velocity
 * lane. Everything inside is drawn and handled by RollController; this component only builds the
 * elements, keeps the controller told about the open clip and the grid's size, and hands the
 * controller to its parent (the toolbar's zoom buttons and the shortcuts use it).
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { EditorStore } from '../../editor/editor-store';
import type { Playback } from '../../playback/playback-api';
import { KEYBOARD_WIDTH, RollController, RULER_HEIGHT, VELOCITY_HEIGHT } from './roll-controller';
import { readRollTheme } from './roll-theme';

export interface PianoRollProps {
  readonly editor: EditorStore;
  readonly playback: Playback;
  readonly onController: (controller: RollController | null) => void;
}

export function PianoRoll({ editor, playback, onController }: PianoRollProps) {
  const root = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLCanvasElement>(null);
  const playhead = useRef<HTMLDivElement>(null);
  const rulerPlayhead = useRef<HTMLDivElement>(null);
  const rubber = useRef<HTMLDivElement>(null);
  const hoverRow = useRef<HTMLDivElement>(null);
  const keyboard = useRef<HTMLCanvasElement>(null);
  const ruler = useRef<HTMLCanvasElement>(null);
  const velocity = useRef<HTMLCanvasElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const spacer = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<RollController | null>(null);
  // The editor the controller was made with; later ones are handed over with setEditor.
  const editorRef = useRef(editor);
  editorRef.current = editor;

  useLayoutEffect(() => {
    const elements = {
      grid: grid.current!,
      playhead: playhead.current!,
      rulerPlayhead: rulerPlayhead.current!,
      rubber: rubber.current!,
      hoverRow: hoverRow.current!,
      keyboard: keyboard.current!,
      ruler: ruler.current!,
      velocity: velocity.current!,
      scroller: scroller.current!,
      spacer: spacer.current!,
    };
    const controller = new RollController(elements, editorRef.current, playback, readRollTheme(root.current!));
    controllerRef.current = controller;
    onController(controller);
    const measure = () => {
      const box = elements.scroller;
      const width = box.clientWidth;
      const height = box.clientHeight;
      elements.grid.style.width = `${width}px`;
      elements.grid.style.height = `${height}px`;
      elements.keyboard.style.height = `${height}px`;
      elements.ruler.style.width = `${width}px`;
      elements.velocity.style.width = `${width}px`;
      controller.resize(width, height);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(elements.scroller);
    return () => {
      observer.disconnect();
      controller.destroy();
      controllerRef.current = null;
      onController(null);
    };
  }, [playback, onController]);

  useEffect(() => {
    controllerRef.current?.setEditor(editor);
  }, [editor]);

  return (
    <div
      className="roll"
      ref={root}
      style={{ gridTemplateColumns: `${KEYBOARD_WIDTH}px minmax(0, 1fr)`, gridTemplateRows: `${RULER_HEIGHT}px minmax(0, 1fr) ${VELOCITY_HEIGHT}px` }}
    >
      <div className="roll-corner" aria-hidden="true" />
      <div className="roll-ruler-host">
        <canvas ref={ruler} className="roll-ruler" style={{ height: RULER_HEIGHT }} data-testid="editor-ruler" aria-label="Bars and beats: click to move the playhead" />
        <div ref={rulerPlayhead} className="roll-ruler-playhead" aria-hidden="true" />
      </div>
      <div className="roll-keyboard-host">
        <canvas ref={keyboard} className="roll-keyboard" style={{ width: KEYBOARD_WIDTH }} data-testid="editor-keyboard" aria-label="Keyboard: click a key to hear it" />
      </div>
      <div className="roll-grid-host">
        <canvas ref={grid} className="roll-grid" data-testid="editor-canvas" role="img" aria-label="Piano roll notes" />
        <div ref={hoverRow} className="roll-hover-row" aria-hidden="true" />
        <div ref={rubber} className="roll-rubber" aria-hidden="true" />
        <div ref={playhead} className="roll-playhead" data-testid="editor-playhead" aria-hidden="true" />
        <div ref={scroller} className="roll-scroller" tabIndex={-1} data-testid="editor-scroller">
          <div ref={spacer} className="roll-spacer" />
        </div>
      </div>
      <div className="roll-lane-label" aria-hidden="true">
        Velocity
      </div>
      <div className="roll-velocity-host">
        <canvas ref={velocity} className="roll-velocity" style={{ height: VELOCITY_HEIGHT }} data-testid="editor-velocity" aria-label="Velocity lane: drag to draw velocities" />
      </div>
    </div>
  );
}
