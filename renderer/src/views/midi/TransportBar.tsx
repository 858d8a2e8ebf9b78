/**
 * The transport, for the editor to place above its piano roll: play, stop, loop (with its region),
 * tempo (the piece's, or an override typed here), metronome, position as bars:beats:ticks and time,
 * output (internal synth or a MIDI port), and Panic.
 *
 * The position is redrawn every animation frame while playing by writing the text directly (no
 * React render per frame).
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useMidiOutputs, usePlaybackSession, usePlaybackState } from '../../playback';
import { defaultLoop, formatBarsBeatsTicks, formatLoop, formatTempo, formatTransportTime, parseTempo } from './transport-format';
import { LoopGlyph, MetronomeGlyph, PanicGlyph, PlayGlyph, StopGlyph } from './transport-icons';
import type { LoopRegion } from '../../playback/playback-api';
import './midi.css';

const INTERNAL = 'internal';

function PositionDisplay() {
  const { engine } = usePlaybackSession();
  const playing = usePlaybackState((state) => state.playing);
  const positionTicks = usePlaybackState((state) => state.positionTicks);
  const meter = usePlaybackState((state) => state.meter);
  const tempoFactor = usePlaybackState((state) => state.tempoFactor);
  const barsRef = useRef<HTMLSpanElement>(null);
  const timeRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const draw = () => {
      const ticks = engine.currentTicks();
      if (barsRef.current) barsRef.current.textContent = formatBarsBeatsTicks(meter, ticks);
      if (timeRef.current) timeRef.current.textContent = formatTransportTime(engine.tempo().secondsAt(ticks));
    };
    draw();
    if (!playing) return undefined;
    let frame = requestAnimationFrame(function loop() {
      draw();
      frame = requestAnimationFrame(loop);
    });
    return () => cancelAnimationFrame(frame);
  }, [engine, playing, positionTicks, meter, tempoFactor]);

  return (
    <output className="transport-position" data-testid="transport-position" aria-label="Position" aria-live="off">
      <span ref={barsRef} className="transport-bars" title="Bar : beat : ticks" />
      <span ref={timeRef} className="transport-time" title="Minutes : seconds" />
    </output>
  );
}

function TempoField() {
  const { engine } = usePlaybackSession();
  const override = usePlaybackState((state) => state.tempoOverrideBpm);
  const pieceBpm = usePlaybackState((state) => state.pieceBpm);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = draft ?? (override !== null ? formatTempo(override) : '');

  const commit = () => {
    if (draft === null) return;
    const parsed = parseTempo(draft);
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setDraft(null);
    engine.setTempoOverride(parsed.bpm);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    if (event.key === 'Escape') {
      setDraft(null);
      setError(null);
    }
    // The editor's shortcuts (Space, arrows) must not fire while typing a tempo.
    event.stopPropagation();
  };

  return (
    <label className={`transport-tempo${override !== null ? ' is-override' : ''}`} title={error ?? `The piece’s tempo is ${formatTempo(pieceBpm)} bpm; type another to play at it (empty: the piece’s own).`}>
      <input
        type="text"
        inputMode="decimal"
        size={5}
        value={shown}
        placeholder={formatTempo(pieceBpm)}
        aria-label="Tempo (bpm)"
        aria-invalid={error !== null}
        data-testid="transport-tempo"
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      <span className="transport-unit">bpm</span>
      {override !== null ? (
        <button
          type="button"
          className="transport-reset"
          aria-label="Back to the piece’s tempo"
          title="Back to the piece’s tempo"
          onClick={() => {
            setDraft(null);
            setError(null);
            engine.setTempoOverride(null);
          }}
        >
          ×
        </button>
      ) : null}
    </label>
  );
}

export function OutputSelect({ testId = 'midi-output-select', id }: { testId?: string; id?: string }) {
  const session = usePlaybackSession();
  const output = usePlaybackState((state) => state.output);
  const devices = useMidiOutputs();
  const value = output.kind === 'internal' ? INTERNAL : output.outputId;
  const listed = devices.outputs.some((port) => port.id === value);
  return (
    <select
      id={id}
      className="transport-output"
      aria-label="Output"
      title={devices.message ?? 'Where playback goes: the internal synth, or a MIDI port'}
      data-testid={testId}
      value={value}
      onChange={(event) => {
        const chosen = event.target.value;
        void session.selectOutput(chosen === INTERNAL ? { kind: 'internal' } : { kind: 'midi', outputId: chosen });
      }}
    >
      <option value={INTERNAL}>Internal synth</option>
      {devices.outputs.map((port) => (
        <option key={port.id} value={port.id}>
          {port.name}
          {port.open ? '' : ' (in use?)'}
        </option>
      ))}
      {value !== INTERNAL && !listed ? <option value={value}>{value}</option> : null}
    </select>
  );
}

export function TransportBar({ className = '' }: { className?: string }) {
  const { engine } = usePlaybackSession();
  const playing = usePlaybackState((state) => state.playing);
  const loop = usePlaybackState((state) => state.loop);
  const metronome = usePlaybackState((state) => state.metronome);
  const meter = usePlaybackState((state) => state.meter);
  const music = usePlaybackState((state) => state.music);
  const lastLoop = useRef<LoopRegion | null>(null);
  useEffect(() => {
    if (loop) lastLoop.current = loop;
  }, [loop]);

  const toggleLoop = () => {
    if (loop) engine.setLoop(null);
    else engine.setLoop(lastLoop.current ?? defaultLoop(meter, music?.durationTicks ?? 0));
  };

  return (
    <div className={`transport-bar ${className}`} role="toolbar" aria-label="Transport" data-testid="transport-bar" data-playing={playing}>
      <button type="button" className={`transport-button${playing ? ' is-on' : ''}`} aria-label="Play" title="Play" data-testid="transport-play" disabled={!music || playing} onClick={() => engine.play()}>
        <PlayGlyph />
      </button>
      <button type="button" className="transport-button" aria-label="Stop" title={playing ? 'Stop' : 'Stop (back to the start)'} data-testid="transport-stop" onClick={() => engine.stop()}>
        <StopGlyph />
      </button>
      <button
        type="button"
        className={`transport-button${loop ? ' is-on' : ''}`}
        aria-label="Loop"
        aria-pressed={loop !== null}
        title={loop ? `Loop ${formatLoop(meter, loop)} (click to turn off)` : 'Loop'}
        data-testid="transport-loop"
        onClick={toggleLoop}
      >
        <LoopGlyph />
        {loop ? <span className="transport-loop-region" data-testid="transport-loop-region">{formatLoop(meter, loop)}</span> : null}
      </button>
      <span className="transport-separator" />
      <PositionDisplay />
      <span className="transport-separator" />
      <TempoField />
      <button
        type="button"
        className={`transport-button${metronome ? ' is-on' : ''}`}
        aria-label="Metronome"
        aria-pressed={metronome}
        title="Metronome"
        data-testid="transport-metronome"
        onClick={() => engine.setMetronome(!metronome)}
      >
        <MetronomeGlyph />
      </button>
      <span className="transport-spacer" />
      <OutputSelect />
      <button type="button" className="transport-button transport-panic" aria-label="Panic: all notes off" title="Panic: all sound off, all notes off, reset controllers" data-testid="panic-button" onClick={() => engine.panic()}>
        <PanicGlyph />
      </button>
    </div>
  );
}
