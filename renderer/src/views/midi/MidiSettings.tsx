/**
 * MIDI settings: where playback goes (internal synth or a MIDI output), which input recording
 * listens to, and whether the studio asks for SysEx access (off unless turned on; the choice is
 * saved in settings and MIDI access is requested again with it). Devices appear and disappear as
 * they are plugged in and out; a port another program holds says so.
 */
import { useState } from 'react';
import { useMidiOutputs, usePlaybackSession, usePlaybackState } from '../../playback';
import { useModel } from '../../state/studio-context';
import { OutputSelect } from './TransportBar';
import './midi.css';

const STATUS_TEXT: Record<string, string> = {
  idle: 'MIDI not requested yet',
  requesting: 'Asking for MIDI access…',
  ready: 'MIDI ready',
  unsupported: 'No Web MIDI in this browser',
  failed: 'MIDI unavailable',
};

export function MidiSettings() {
  const session = usePlaybackSession();
  const model = useModel();
  const devices = useMidiOutputs();
  const output = usePlaybackState((state) => state.output);
  /** The value being applied (shown at once; MIDI access is requested again meanwhile). */
  const [sysexPending, setSysexPending] = useState<boolean | null>(null);

  const toggleSysex = (on: boolean) => {
    setSysexPending(on);
    session.setSysex(on).then(
      () => setSysexPending(null),
      (error: unknown) => {
        setSysexPending(null);
        model.notify(`Could not change SysEx access: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };

  return (
    <section className="midi-settings" aria-label="MIDI settings" data-testid="midi-settings" data-status={devices.status}>
      <header className="midi-settings-header">
        <h2>MIDI</h2>
        <span className={`midi-status midi-status-${devices.status}`} data-testid="midi-status">
          {STATUS_TEXT[devices.status] ?? devices.status}
        </span>
      </header>
      {devices.message ? (
        <p className="midi-message" role="status" data-testid="midi-message">
          {devices.message}
        </p>
      ) : null}

      <div className="midi-row">
        <label htmlFor="midi-settings-output">Output</label>
        <OutputSelect testId="midi-settings-output" id="midi-settings-output" />
      </div>
      <ul className="midi-port-list" aria-label="MIDI outputs" data-testid="midi-output-list">
        {devices.outputs.length === 0 ? <li className="midi-port-empty">No MIDI outputs connected.</li> : null}
        {devices.outputs.map((port) => {
          const active = output.kind === 'midi' && output.outputId === port.id;
          return (
            <li key={port.id} className={`midi-port${active ? ' is-active' : ''}`} data-testid="midi-output-row" data-port-id={port.id}>
              <span className="midi-port-name">{port.name}</span>
              {port.manufacturer ? <span className="midi-port-maker">{port.manufacturer}</span> : null}
              {!port.open ? <span className="midi-port-warning" title="It could not be opened: another program may be using it.">in use?</span> : null}
              <button
                type="button"
                className="button button-small"
                disabled={active}
                onClick={() => void session.selectOutput({ kind: 'midi', outputId: port.id })}
              >
                {active ? 'In use' : 'Use'}
              </button>
            </li>
          );
        })}
      </ul>

      <div className="midi-row">
        <label htmlFor="midi-settings-input">Record from</label>
        <select
          id="midi-settings-input"
          data-testid="midi-input-select"
          value={devices.inputId ?? ''}
          disabled={devices.inputs.length === 0}
          onChange={(event) => session.devices.chooseInput(event.target.value || null)}
        >
          {devices.inputs.length === 0 ? <option value="">No MIDI inputs</option> : null}
          {devices.inputs.map((port) => (
            <option key={port.id} value={port.id}>
              {port.name}
            </option>
          ))}
        </select>
      </div>

      <label className="midi-toggle" title="System Exclusive messages (patch dumps, device setup). Off unless you need them.">
        <input type="checkbox" checked={sysexPending ?? devices.sysex} disabled={sysexPending !== null || devices.status === 'unsupported'} data-testid="midi-sysex-toggle" onChange={(event) => toggleSysex(event.target.checked)} />
        <span>Allow SysEx (System Exclusive) messages</span>
      </label>
    </section>
  );
}
