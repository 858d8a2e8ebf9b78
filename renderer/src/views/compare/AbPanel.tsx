/**
 * "Ears": A/B listening. Draw a random pair of samples (two models whenever there are two, the order
 * shuffled) or, with blind mode off, pick both; play A and B through the window's playback (internal
 * synth or the chosen MIDI output); say which you prefer. Blind mode names the sides only "A" and
 * "B" until the choice is recorded, then reveals them. The tallies per model follow every choice.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Comparison } from '../../../../core/ipc/schemas';
import type { Piece } from '../../../../core/music/types';
import { PlayIcon, ShuffleIcon, StopIcon } from '../../components/icons';
import { musicKey } from '../../state/comparison-library';
import { OutputSelect } from '../midi/TransportBar';
import { describeOutcome, preferencesRecorded, randomPair, samplesOf, sideLabel, tallyRows, type AbPair, type Preference, type Sample, type Side } from './ab-model';
import { useComparisonLibrary, useComparisonState } from './comparison-context';
import { useComparePlayback } from './use-compare-playback';

interface Judged {
  readonly pair: AbPair;
  readonly preference: Preference;
}

export function AbPanel({ comparison }: { comparison: Comparison }) {
  const library = useComparisonLibrary();
  const samples = useMemo(() => samplesOf(comparison), [comparison]);
  const [blind, setBlind] = useState(true);
  const [pair, setPair] = useState<AbPair | null>(() => randomPair(samples));
  const [judged, setJudged] = useState<Judged | null>(null);
  const [recording, setRecording] = useState(false);
  const rows = useMemo(() => tallyRows(comparison), [comparison]);
  const recorded = preferencesRecorded(rows);

  // A pair whose samples are gone (another comparison shown, a reload) is drawn again.
  useEffect(() => {
    if (pair && samples.some((sample) => sample.clipId === pair.a.clipId) && samples.some((sample) => sample.clipId === pair.b.clipId)) return;
    setPair(randomPair(samples));
    setJudged(null);
  }, [samples, pair]);

  useEffect(() => {
    if (!pair) return;
    void library.loadMusic({ clipId: pair.a.clipId });
    void library.loadMusic({ clipId: pair.b.clipId });
  }, [library, pair]);

  const hidden = blind && judged === null;
  const nextPair = () => {
    setPair(randomPair(samples, Math.random, pair));
    setJudged(null);
  };
  const choose = async (preference: Preference) => {
    if (!pair || judged !== null || recording) return;
    setRecording(true);
    const ok = await library.recordPreference({ comparisonId: comparison.id, clipA: pair.a.clipId, clipB: pair.b.clipId, preferred: preference, blind });
    setRecording(false);
    if (ok) setJudged({ pair, preference });
  };
  const pickSide = (side: Side, clipId: number) => {
    const sample = samples.find((candidate) => candidate.clipId === clipId);
    if (!sample || !pair) return;
    setPair(side === 'a' ? { a: sample, b: pair.b } : { a: pair.a, b: sample });
    setJudged(null);
  };

  if (samples.length < 2) {
    return (
      <section className="card ab-panel" data-testid="ab-panel" aria-label="A/B listening">
        <AbHeader blind={blind} onBlind={setBlind} />
        <p className="ab-empty muted">A/B listening needs at least two samples.</p>
      </section>
    );
  }

  const samePair = pair !== null && pair.a.clipId === pair.b.clipId;
  return (
    <section className="card ab-panel" data-testid="ab-panel" aria-label="A/B listening" data-blind={blind}>
      <AbHeader
        blind={blind}
        onBlind={(on) => {
          setBlind(on);
          // Turning blind mode on mid-pair would hide what was already seen: start a fresh pair.
          if (on) nextPair();
        }}
      />
      <div className="ab-body">
        <div className="ab-sides">
          {pair ? (
            <>
              <AbSide side="a" sample={pair.a} hidden={hidden} blind={blind} samples={samples} onPick={(clipId) => pickSide('a', clipId)} />
              <span className="ab-versus" aria-hidden="true">
                vs
              </span>
              <AbSide side="b" sample={pair.b} hidden={hidden} blind={blind} samples={samples} onPick={(clipId) => pickSide('b', clipId)} />
            </>
          ) : null}
        </div>
        <div className="ab-choices" role="group" aria-label="Which do you prefer?">
          <button type="button" className="button ab-choice" data-testid="ab-prefer-a" disabled={!pair || samePair || judged !== null || recording} onClick={() => void choose('a')}>
            Prefer A
          </button>
          <button type="button" className="button ab-choice" data-testid="ab-same" disabled={!pair || samePair || judged !== null || recording} onClick={() => void choose('same')}>
            Same
          </button>
          <button type="button" className="button ab-choice" data-testid="ab-prefer-b" disabled={!pair || samePair || judged !== null || recording} onClick={() => void choose('b')}>
            Prefer B
          </button>
          <span className="ab-choices-spacer" />
          <button type="button" className={`button${judged ? ' button-primary' : ''}`} data-testid="ab-next" onClick={nextPair} title="Two random samples, in a random order">
            <ShuffleIcon size={14} /> {judged ? 'Next pair' : 'Random pair'}
          </button>
        </div>
        <p className="ab-outcome" data-testid="ab-reveal" role="status" aria-live="polite">
          {judged ? (
            describeOutcome(judged.pair, judged.preference)
          ) : samePair ? (
            'Choose two different samples.'
          ) : blind ? (
            <span className="muted">Blind: the models are revealed once you choose.</span>
          ) : (
            <span className="muted">Listen to both, then choose.</span>
          )}
        </p>
      </div>
      <PreferenceTally rows={rows} recorded={recorded} />
    </section>
  );
}

function AbHeader({ blind, onBlind }: { blind: boolean; onBlind: (on: boolean) => void }) {
  return (
    <header className="card-header ab-header">
      <span className="card-title">A/B listening</span>
      <span className="card-subtitle">which sample do you prefer?</span>
      <span className="ab-header-tools">
        <label className="ab-blind" title="Hide which model made which sample until you have chosen">
          <input type="checkbox" checked={blind} onChange={(event) => onBlind(event.target.checked)} data-testid="ab-blind" />
          Blind
        </label>
        <OutputSelect testId="ab-output" />
      </span>
    </header>
  );
}

interface AbSideProps {
  readonly side: Side;
  readonly sample: Sample;
  readonly hidden: boolean;
  readonly blind: boolean;
  readonly samples: readonly Sample[];
  readonly onPick: (clipId: number) => void;
}

function AbSide({ side, sample, hidden, blind, samples, onPick }: AbSideProps) {
  const entry = useComparisonState((state) => state.music[musicKey({ clipId: sample.clipId })]);
  const playback = useComparePlayback();
  const music: Piece | null = entry?.music ?? null;
  const playing = playback.isPlaying(music);
  const letter = side.toUpperCase();
  return (
    <div className={`ab-side${playing ? ' is-playing' : ''}`} data-testid={`ab-side-${side}`} data-clip-id={hidden ? undefined : sample.clipId}>
      <span className="ab-letter" style={hidden ? undefined : { borderColor: sample.colour, color: sample.colour }}>
        {letter}
      </span>
      <div className="ab-side-main">
        {blind ? (
          <span className="ab-label" data-testid={`ab-label-${side}`}>
            {sideLabel(sample, side, hidden)}
          </span>
        ) : (
          <select className="ab-select" aria-label={`Sample ${letter}`} value={sample.clipId} onChange={(event) => onPick(Number(event.target.value))} data-testid={`ab-select-${side}`}>
            {samples.map((candidate) => (
              <option key={candidate.clipId} value={candidate.clipId}>
                {candidate.modelName} · sample {candidate.number}
              </option>
            ))}
          </select>
        )}
        <span className="ab-side-detail muted">
          {hidden ? 'model hidden until you choose · ' : ''}
          {entry?.status === 'error' ? `could not load: ${entry.error}` : music ? `${countNotes(music)} notes · ${formatSeconds(music.duration)}` : 'loading…'}
        </span>
      </div>
      <button
        type="button"
        className={`button ab-play${playing ? ' is-playing' : ''}`}
        data-testid={`ab-play-${side}`}
        disabled={!music}
        onClick={() => (playing ? playback.stop() : music && playback.play(music))}
        aria-label={playing ? `Stop ${letter}` : `Play ${letter}`}
      >
        {playing ? <StopIcon size={13} /> : <PlayIcon size={13} />} {playing ? 'Stop' : `Play ${letter}`}
      </button>
    </div>
  );
}

function countNotes(music: Piece): number {
  return music.tracks.reduce((sum, track) => sum + track.notes.length, 0);
}

function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function PreferenceTally({ rows, recorded }: { rows: ReturnType<typeof tallyRows>; recorded: number }) {
  return (
    <div className="preference-tally" data-testid="preference-tally" data-recorded={recorded}>
      <table className="data-table tally-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="numeric">
              Preferred
            </th>
            <th scope="col" className="numeric">
              Same
            </th>
            <th scope="col" className="numeric">
              Not preferred
            </th>
            <th scope="col" className="tally-score-head" title="(preferred + same / 2) / judged">
              Preference share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.modelId} data-testid="tally-row" data-model-id={row.modelId} data-wins={row.wins} data-losses={row.losses} data-ties={row.ties}>
              <th scope="row">
                <span className="compare-name">
                  <span className="compare-swatch" style={{ background: row.colour }} aria-hidden="true" />
                  <span className="compare-name-text">{row.name}</span>
                </span>
              </th>
              <td className="numeric">{row.wins}</td>
              <td className="numeric">{row.ties}</td>
              <td className="numeric">{row.losses}</td>
              <td className="tally-score">
                <span className="share-track">
                  <span className="share-fill" style={{ width: `${Math.round((row.score ?? 0) * 100)}%`, background: row.colour }} />
                </span>
                <span className="share-text">{row.score === null ? '—' : `${Math.round(row.score * 100)}%`}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="tally-caption muted">
        {recorded === 0 ? 'No preferences recorded yet.' : `${recorded} preference${recorded === 1 ? '' : 's'} recorded.`}
      </p>
    </div>
  );
}
