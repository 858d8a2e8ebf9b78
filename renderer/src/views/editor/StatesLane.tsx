/**
 * The hidden-state lane under the piano roll: pick a trained HMM, and the most likely state path of
 * the open clip under it (models.viterbi) is drawn as coloured segments on the roll's own time axis,
 * one colour per state; hovering shows the state. The path is of the clip as saved, so it is fetched
 * again after every save, and says so while there are unsaved edits.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { ModelSummary } from '../../../../core/ipc/schemas';
import { lastNoteEnd } from '../../editor/document';
import type { EditorStore } from '../../editor/editor-store';
import { buildMeterMap, formatBarBeat } from '../../editor/grid';
import { decodableModels, segmentAt, stateColour, stateSegments, type StatePath, type StateSegment } from '../../editor/state-path';
import { ticksAtX, type Viewport } from '../../editor/viewport';
import { useEnvironment, useStudio } from '../../state/studio-context';
import { useEditorState, useWorkbenchState } from './editor-context';
import { KEYBOARD_WIDTH, type RollController } from './roll-controller';
import { prepareCanvas } from './roll-draw';

export const STATES_HEIGHT = 34;

type PathState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly path: StatePath; readonly modelId: number; readonly clipId: number }
  | { readonly status: 'error'; readonly message: string };

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function StatesLane({ editor, controller }: { editor: EditorStore; controller: RollController | null }) {
  const { api } = useEnvironment();
  const clipId = useWorkbenchState((state) => state.clipId);
  const savedAt = useWorkbenchState((state) => state.savedAt);
  const origin = useWorkbenchState((state) => state.origin);
  const clipModelId = useWorkbenchState((state) => state.clipModelId);
  const libraryCorpusId = useStudio((state) => state.selectedCorpusId);
  const dirty = useEditorState(editor, (state) => state.document !== state.savedDocument);
  const savedDocument = useEditorState(editor, (state) => state.savedDocument);
  const [models, setModels] = useState<readonly ModelSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [modelId, setModelId] = useState<number | null>(null);
  const [path, setPath] = useState<PathState>({ status: 'idle' });
  const [hover, setHover] = useState<{ segment: StateSegment; x: number } | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  const refreshModels = useMemo(
    () => () => {
      api.models
        .list()
        .then((list) => {
          setModels(list);
          setListError(null);
        })
        .catch((error: unknown) => setListError(describeError(error)));
    },
    [api],
  );
  useEffect(refreshModels, [refreshModels]);

  // The clip's own corpus first: a generated clip's model's, or the library's for a copied piece.
  const corpusId = origin?.kind === 'piece' ? libraryCorpusId : (models?.find((model) => model.id === clipModelId)?.corpusId ?? null);
  const choices = useMemo(() => decodableModels(models ?? [], corpusId), [models, corpusId]);
  const chosen = choices.find((model) => model.id === modelId) ?? null;

  useEffect(() => {
    if (modelId === null || clipId === null) {
      setPath({ status: 'idle' });
      return;
    }
    let cancelled = false;
    setPath((current) => (current.status === 'ready' && current.modelId === modelId && current.clipId === clipId ? current : { status: 'loading' }));
    api.models
      .viterbi({ modelId, clipId })
      .then((result) => {
        if (!cancelled) setPath({ status: 'ready', path: result, modelId, clipId });
      })
      .catch((error: unknown) => {
        if (!cancelled) setPath({ status: 'error', message: describeError(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [api, modelId, clipId, savedAt]);

  const segments = useMemo(() => (path.status === 'ready' ? stateSegments(path.path, lastNoteEnd(savedDocument)) : []), [path, savedDocument]);
  const meter = useMemo(() => buildMeterMap(savedDocument.timeSignatures, savedDocument.ppq), [savedDocument]);
  const viewportRef = useRef<Viewport | null>(null);

  // Drawn on the roll's time axis, again after every scroll and zoom (one frame at most per change).
  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element || !controller) return undefined;
    let frame: number | null = null;
    const draw = () => {
      frame = null;
      const viewport = viewportRef.current;
      if (!viewport || viewport.width <= 0) return;
      element.style.width = `${viewport.width}px`;
      const context = prepareCanvas(element, viewport.width, STATES_HEIGHT);
      if (context) drawStates(context, viewport, segments);
    };
    const schedule = (viewport: Viewport) => {
      viewportRef.current = viewport;
      if (frame === null) frame = requestAnimationFrame(draw);
    };
    schedule(controller.viewport);
    const unsubscribe = controller.subscribeViewport(schedule);
    return () => {
      unsubscribe();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [controller, segments]);

  const onPointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const viewport = viewportRef.current;
    if (!viewport) return;
    const x = event.clientX - event.currentTarget.getBoundingClientRect().left;
    const segment = segmentAt(segments, ticksAtX(viewport, x));
    setHover(segment ? { segment, x } : null);
  };

  const stateCount = chosen && chosen.settings && 'states' in chosen.settings ? chosen.settings.states : null;
  const status =
    listError !== null
      ? `Could not list the models: ${listError}`
      : models === null
        ? 'Loading models…'
        : choices.length === 0
          ? 'No trained HMM yet: train one in Models to see its hidden states here.'
          : modelId === null
            ? 'Choose an HMM to show the most likely hidden state of each moment.'
            : path.status === 'loading'
              ? 'Decoding…'
              : path.status === 'error'
                ? path.message
                : path.status === 'ready'
                  ? `${path.path.states.length} tokens · ${new Set(path.path.states).size} of ${stateCount ?? '?'} states used${dirty ? ' · for the saved version' : ''}`
                  : '';

  return (
    <section className="states-lane" data-testid="states-lane" aria-label="Hidden states" style={{ gridTemplateColumns: `${KEYBOARD_WIDTH}px minmax(0, 1fr)` }}>
      <div className="states-lane-bar">
        <span className="tool-label">Hidden states</span>
        <select
          className="tool-select states-model-select"
          aria-label="HMM to decode with"
          value={modelId ?? ''}
          onFocus={refreshModels}
          onChange={(event) => setModelId(event.target.value === '' ? null : Number(event.target.value))}
          data-testid="states-model-select"
        >
          <option value="">{choices.length === 0 ? 'No trained HMM' : 'Choose an HMM…'}</option>
          {choices.map((model) => (
            <option key={model.id} value={model.id}>
              {model.name} · {model.corpusName} · {model.representation}
              {model.corpusId === corpusId ? ' (this corpus)' : ''}
            </option>
          ))}
        </select>
        <span className={`states-lane-status muted small${path.status === 'error' ? ' is-error' : ''}`} data-testid="states-status" role={path.status === 'error' ? 'alert' : undefined}>
          {status}
        </span>
        {hover ? (
          <span className="states-lane-hover small" data-testid="states-hover">
            <span className="states-swatch" style={{ background: stateColour(hover.segment.state) }} aria-hidden="true" />
            State {hover.segment.state} · {formatBarBeat(meter, hover.segment.startTicks)}–{formatBarBeat(meter, hover.segment.endTicks)}
          </span>
        ) : null}
      </div>
      <div className="roll-lane-label" aria-hidden="true">
        States
      </div>
      <div className="states-lane-host">
        <canvas
          ref={canvas}
          className="states-canvas"
          style={{ height: STATES_HEIGHT }}
          role="img"
          aria-label="Hidden-state path: one colour per state"
          title={hover ? `State ${hover.segment.state}` : undefined}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
          data-testid="states-canvas"
          data-states={path.status === 'ready' ? path.path.states.length : 0}
          data-segments={segments.length}
        />
      </div>
    </section>
  );
}

function drawStates(context: CanvasRenderingContext2D, viewport: Viewport, segments: readonly StateSegment[]): void {
  const { width } = viewport;
  context.clearRect(0, 0, width, STATES_HEIGHT);
  if (segments.length === 0) return;
  const scale = viewport.pxPerQuarter / viewport.ppq;
  const fromTicks = viewport.scrollX / scale;
  const toTicks = (viewport.scrollX + width) / scale;
  context.font = '10px system-ui, sans-serif';
  context.textBaseline = 'middle';
  // The first segment in view, by binary search: a long piece has thousands.
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (segments[middle]!.endTicks <= fromTicks) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < segments.length; index++) {
    const segment = segments[index]!;
    if (segment.startTicks >= toTicks) break;
    const x0 = segment.startTicks * scale - viewport.scrollX;
    const x1 = segment.endTicks * scale - viewport.scrollX;
    context.fillStyle = stateColour(segment.state);
    context.fillRect(Math.round(x0), 3, Math.max(1, Math.round(x1) - Math.round(x0) - (x1 - x0 > 3 ? 1 : 0)), STATES_HEIGHT - 6);
    if (x1 - x0 >= 16) {
      context.fillStyle = 'rgba(0,0,0,0.72)';
      context.fillText(String(segment.state), Math.max(0, x0) + 3, STATES_HEIGHT / 2);
    }
  }
}
