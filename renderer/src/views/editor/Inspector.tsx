/**
 * Below the track list: the clip's facts (notes, selection, key, meter, tempo) and, when exactly one
 * note is selected, that note (pitch, position as bar.beat, length, velocity), as a DAW's inspector.
 */
import { noteCountOf, notesWithIds } from '../../editor/document';
import type { EditorStore } from '../../editor/editor-store';
import { buildMeterMap, formatBarBeat } from '../../editor/grid';
import { describeKey, keyAt } from '../../editor/scale';
import { formatCount, plural } from '../../lib/format';
import { noteValueLabel, pitchName } from '../../lib/music-labels';
import { useEditorState } from './editor-context';

export function Inspector({ editor }: { editor: EditorStore }) {
  const document = useEditorState(editor, (state) => state.document);
  const selection = useEditorState(editor, (state) => state.selection);
  const noteCount = noteCountOf(document);
  const single = selection.size === 1 ? (notesWithIds(document, selection)[0] ?? null) : null;
  const meter = buildMeterMap(document.timeSignatures, document.ppq);
  const firstMeter = meter.segments[0]!;
  const tempo = document.tempos[0]?.bpm ?? 120;
  return (
    <section className="inspector" aria-label="Clip and selection">
      <p className="inspector-line" data-testid="editor-note-count" data-count={noteCount} data-selected={selection.size}>
        <strong>{plural(noteCount, 'note')}</strong>
        {selection.size > 0 ? <span className="muted"> · {formatCount(selection.size)} selected</span> : null}
      </p>
      <dl className="inspector-facts">
        <div>
          <dt>Key</dt>
          <dd>{describeKey(keyAt(document.keySignatures, 0))}</dd>
        </div>
        <div>
          <dt>Meter</dt>
          <dd>
            {firstMeter.numerator}/{firstMeter.denominator}
            {meter.segments.length > 1 ? ` +${meter.segments.length - 1}` : ''}
          </dd>
        </div>
        <div>
          <dt>Tempo</dt>
          <dd>{Math.round(tempo)} bpm</dd>
        </div>
      </dl>
      {single ? (
        <dl className="inspector-facts inspector-note" data-testid="editor-selected-note">
          <div>
            <dt>Pitch</dt>
            <dd>
              {pitchName(single.pitch)} <span className="muted">({single.pitch})</span>
            </dd>
          </div>
          <div>
            <dt>Start</dt>
            <dd>{formatBarBeat(meter, single.ticks)}</dd>
          </div>
          <div>
            <dt>Length</dt>
            <dd>{lengthLabel(single.durationTicks, document.ppq)}</dd>
          </div>
          <div>
            <dt>Velocity</dt>
            <dd>{single.velocity}</dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}

/** "1/8" when the length is a plain note value, else its ticks. */
function lengthLabel(ticks: number, ppq: number): string {
  const value = noteValueLabel(ticks / ppq);
  return value.includes('.') ? `${formatCount(ticks)} ticks` : value;
}
