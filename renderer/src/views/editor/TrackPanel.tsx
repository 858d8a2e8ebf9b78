/**
 * The track list: one row per track with its colour, name (double-click to rename), mute and solo,
 * General MIDI program and MIDI channel. Clicking a row makes it the track being edited; the other
 * tracks show as ghost notes. Program, channel, name, adding and removing are edits (undoable);
 * colour, mute and solo are the mixer's (not saved with the clip).
 */
import { useState } from 'react';
import type { EditorStore } from '../../editor/editor-store';
import { TRACK_COLOURS, defaultTrackView } from '../../editor/track-view';
import { PlusIcon, TrashIcon } from '../../components/icons';
import { gmFamily, gmNumber, gmProgramName } from '../../lib/general-midi';
import { formatCount } from '../../lib/format';
import { useEditorState } from './editor-context';
import { Inspector } from './Inspector';

const PROGRAMS = Array.from({ length: 128 }, (_, program) => program);
const FAMILIES = Array.from({ length: 16 }, (_, family) => PROGRAMS.slice(family * 8, family * 8 + 8));
const CHANNELS = Array.from({ length: 16 }, (_, channel) => channel);

export function TrackPanel({ editor }: { editor: EditorStore }) {
  const tracks = useEditorState(editor, (state) => state.document.tracks);
  const activeTrack = useEditorState(editor, (state) => state.activeTrack);
  const views = useEditorState(editor, (state) => state.trackViews);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [choosingColour, setChoosingColour] = useState<number | null>(null);

  return (
    <aside className="track-panel" aria-label="Tracks" data-testid="track-panel">
      <header className="track-panel-header">
        <span className="eyebrow">Tracks</span>
        <span className="sidebar-count">{tracks.length}</span>
        <span className="title-spacer" />
        <button type="button" className="icon-button" title="Add a track" aria-label="Add a track" onClick={() => editor.execute({ kind: 'add-track' })} data-testid="track-add">
          <PlusIcon size={15} />
        </button>
      </header>
      <ul className="track-list">
        {tracks.map((track, index) => {
          const view = views.get(track.id) ?? defaultTrackView(index);
          const active = index === activeTrack;
          return (
            <li
              key={track.id}
              className={`track-row${active ? ' is-active' : ''}${view.muted ? ' is-muted' : ''}`}
              aria-current={active ? 'true' : undefined}
              data-testid="track-row"
              data-track-index={index}
              onPointerDown={() => editor.setActiveTrack(index)}
            >
              <div className="track-line">
                <button
                  type="button"
                  className="track-colour"
                  style={{ background: view.colour }}
                  title="Track colour"
                  aria-label={`Colour of ${track.name}`}
                  onClick={() => setChoosingColour(choosingColour === track.id ? null : track.id)}
                  data-testid="track-colour"
                />
                {renaming === track.id ? (
                  <input
                    className="track-name-input"
                    defaultValue={track.name}
                    autoFocus
                    aria-label="Track name"
                    onBlur={(event) => {
                      editor.execute({ kind: 'rename-track', track: index, name: event.target.value });
                      setRenaming(null);
                    }}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') event.currentTarget.blur();
                      if (event.key === 'Escape') setRenaming(null);
                    }}
                  />
                ) : (
                  <span className="track-name" title={`${track.name} — double-click to rename`} onDoubleClick={() => setRenaming(track.id)}>
                    {track.name || `Track ${index + 1}`}
                  </span>
                )}
                <span className="track-notes" title={`${formatCount(track.notes.length)} notes`}>
                  {formatCount(track.notes.length)}
                </span>
                <button
                  type="button"
                  className={`track-toggle track-mute${view.muted ? ' is-on' : ''}`}
                  title="Mute"
                  aria-label={`Mute ${track.name}`}
                  aria-pressed={view.muted}
                  onClick={() => editor.setTrackView(track.id, { muted: !view.muted })}
                  data-testid="track-mute"
                >
                  M
                </button>
                <button
                  type="button"
                  className={`track-toggle track-solo${view.solo ? ' is-on' : ''}`}
                  title="Solo"
                  aria-label={`Solo ${track.name}`}
                  aria-pressed={view.solo}
                  onClick={() => editor.setTrackView(track.id, { solo: !view.solo })}
                  data-testid="track-solo"
                >
                  S
                </button>
              </div>
              {choosingColour === track.id ? (
                <div className="track-swatches" role="group" aria-label="Colours">
                  {TRACK_COLOURS.map((colour) => (
                    <button
                      key={colour}
                      type="button"
                      className={`track-swatch${colour === view.colour ? ' is-on' : ''}`}
                      style={{ background: colour }}
                      aria-label={`Colour ${colour}`}
                      onClick={() => {
                        editor.setTrackView(track.id, { colour });
                        setChoosingColour(null);
                      }}
                    />
                  ))}
                </div>
              ) : null}
              <div className="track-line track-settings">
                <select
                  className="tool-select track-program"
                  value={track.program}
                  title={`${gmFamily(track.program)}: ${gmProgramName(track.program)}`}
                  onChange={(event) => {
                    editor.execute({ kind: 'set-program', track: index, program: Number(event.target.value) });
                    event.target.blur();
                  }}
                  aria-label={`Program of ${track.name}`}
                  data-testid="track-program"
                >
                  {FAMILIES.map((programs) => (
                    <optgroup key={programs[0]} label={gmFamily(programs[0]!)}>
                      {programs.map((program) => (
                        <option key={program} value={program}>
                          {gmNumber(program)} {gmProgramName(program)}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
                <select
                  className="tool-select track-channel"
                  value={track.channel}
                  title="MIDI channel (10 is drums)"
                  onChange={(event) => {
                    editor.execute({ kind: 'set-channel', track: index, channel: Number(event.target.value) });
                    event.target.blur();
                  }}
                  aria-label={`MIDI channel of ${track.name}`}
                  data-testid="track-channel"
                >
                  {CHANNELS.map((channel) => (
                    <option key={channel} value={channel}>
                      Ch {channel + 1}
                      {channel === 9 ? ' ·drums' : ''}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="icon-button row-action row-action-danger"
                  title="Remove track"
                  aria-label={`Remove ${track.name}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    editor.execute({ kind: 'remove-track', track: index });
                  }}
                  data-testid="track-remove"
                >
                  <TrashIcon size={13} />
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {tracks.length === 0 ? <p className="track-empty muted">No tracks yet: drawing a note makes one.</p> : null}
      <Inspector editor={editor} />
    </aside>
  );
}
