/**
 * The corpus's analysis panel: a scope (whole corpus or one split), the headline figures, a grid of
 * histograms, and the programs and controllers the music uses. Statistics are fetched when shown and
 * cached by the model per (corpus, scope) until the corpus changes.
 */
import { useEffect, useMemo } from 'react';
import type { CorpusSummary, SplitCounts } from '../../../../core/ipc/schemas';
import type { CorpusStatistics } from '../../../../core/music/stats/describe';
import { AlertIcon, ChartIcon } from '../../components/icons';
import { formatClock, formatCount, formatHms, plural } from '../../lib/format';
import { controllerName, gmFamily, gmNumber, gmProgramName } from '../../lib/general-midi';
import { pitchName } from '../../lib/music-labels';
import { useModel, useStudio } from '../../state/studio-context';
import { statisticsKey, type StatisticsScope } from '../../state/studio-model';
import { BarPlot } from './BarPlot';
import {
  histogramSeries,
  modeIndex,
  notesPerPieceSeries,
  noteValueSeries,
  pitchClassSeries,
  pitchSeries,
  shareOf,
  tempoSeries,
  usedPitchRange,
} from './statistics-model';

const SCOPES: readonly { readonly scope: StatisticsScope; readonly label: string }[] = [
  { scope: 'all', label: 'All' },
  { scope: 'train', label: 'Train' },
  { scope: 'valid', label: 'Valid' },
  { scope: 'test', label: 'Test' },
];

function scopeCount(scope: StatisticsScope, splits: SplitCounts | null, corpus: CorpusSummary): number | null {
  if (scope === 'all') return corpus.pieceCount;
  return splits ? splits[scope] : null;
}

export interface StatisticsPanelProps {
  readonly corpus: CorpusSummary;
  /** Held by the corpus view, so it survives a visit to the Pieces tab. */
  readonly scope: StatisticsScope;
  readonly onScopeChange: (scope: StatisticsScope) => void;
}

export function StatisticsPanel({ corpus, scope, onScopeChange }: StatisticsPanelProps) {
  const model = useModel();
  const splits = useStudio((state) => (state.splits?.corpusId === corpus.id ? state.splits.counts : null));
  const entry = useStudio((state) => state.statistics[statisticsKey(corpus.id, scope)]);

  // Idempotent: fetches only when missing or stale, so running on every change of the entry is the
  // invalidation (library.changed marks it stale, this fetches it again while it is shown).
  useEffect(() => {
    void model.loadStatistics(corpus.id, scope);
  }, [model, corpus.id, scope, entry]);

  const data = entry?.data ?? null;
  const busy = !entry || entry.status === 'loading';
  const status = entry?.status === 'error' ? 'Failed' : busy ? (data ? 'Updating…' : 'Computing…') : data ? describeScope(scope, data) : '';

  return (
    <div className="stats-view" role="tabpanel" aria-label="Statistics" data-testid="statistics-panel">
      <div className="toolbar">
        <div className="segmented" role="radiogroup" aria-label="Statistics of">
          {SCOPES.map((option) => {
            const count = scopeCount(option.scope, splits, corpus);
            return (
              <button
                key={option.scope}
                type="button"
                role="radio"
                aria-checked={scope === option.scope}
                className={`segment${scope === option.scope ? ' is-active' : ''}`}
                onClick={() => onScopeChange(option.scope)}
                data-testid={`scope-${option.scope}`}
              >
                {option.scope === 'all' ? null : <span className={`split-dot split-dot-${option.scope}`} aria-hidden="true" />}
                {option.label}
                <span className="segment-count" data-testid="scope-count">
                  {count === null ? '…' : formatCount(count)}
                </span>
              </button>
            );
          })}
        </div>
        <span className="toolbar-info" aria-live="polite" data-testid="statistics-status" data-busy={busy ? 'true' : 'false'}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {status}
        </span>
      </div>
      <div className="stats-scroll" aria-busy={busy}>
        {entry?.status === 'error' && !data ? (
          <div className="stats-message" role="alert">
            <AlertIcon size={22} />
            <p>Could not compute the statistics: {entry.error}</p>
            <button type="button" className="button" onClick={() => void model.loadStatistics(corpus.id, scope, { force: true })}>
              Try again
            </button>
          </div>
        ) : data ? (
          <StatisticsBody data={data} />
        ) : (
          <div className="stats-message" data-testid="statistics-loading">
            <ChartIcon size={26} />
            <p>Computing statistics{scopeCount(scope, splits, corpus) === null ? '' : ` of ${plural(scopeCount(scope, splits, corpus) ?? 0, 'piece')}`}…</p>
          </div>
        )}
      </div>
    </div>
  );
}

function describeScope(scope: StatisticsScope, data: CorpusStatistics): string {
  return `${scope === 'all' ? 'Whole corpus' : `${scope} split`} · ${plural(data.pieces, 'piece')} · ${plural(data.polyphony.onsets, 'onset')}`;
}

function Metric({ label, testId, value, detail }: { label: string; testId: string; value: string; detail?: string }) {
  return (
    <div className="metric">
      <dt>{label}</dt>
      <dd>
        <span className="metric-value" data-testid={testId}>
          {value}
        </span>
        {detail ? <span className="metric-detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

function StatisticsBody({ data }: { data: CorpusStatistics }) {
  const plots = useMemo(
    () => ({
      pitch: pitchSeries(data.pitch),
      pitchClass: pitchClassSeries(data.pitchClass),
      duration: noteValueSeries(data.duration),
      interOnset: noteValueSeries(data.interOnset),
      velocity: histogramSeries(data.velocity, { integers: true, maxValue: 127 }),
      tempo: tempoSeries(data.tempo),
      notesPerPiece: notesPerPieceSeries(data.notesPerPiece.values),
    }),
    [data],
  );
  const values = data.notesPerPiece.values;
  // reduce, not Math.min(...values): a corpus of 100,000 pieces would overflow the argument list.
  const fewest = values.reduce((low, value) => Math.min(low, value), Infinity);
  const most = values.reduce((high, value) => Math.max(high, value), 0);
  const commonestPitch = modeIndex(data.pitch);

  return (
    <div className="stats-body">
      <dl className="metrics" data-testid="statistics-summary">
        <Metric label="Pieces" testId="stat-pieces" value={formatCount(data.pieces)} detail={plural(data.programs.reduce((sum, use) => sum + use.tracks, 0) + data.drums.tracks, 'track')} />
        <Metric label="Notes" testId="stat-notes" value={formatCount(data.notes)} detail={data.drums.notes > 0 ? `${formatCount(data.drums.notes)} on drums` : 'no drum notes'} />
        <Metric
          label="Duration"
          testId="stat-duration"
          value={formatHms(data.totalDurationSeconds)}
          detail={data.pieces === 0 ? undefined : `${formatClock(data.totalDurationSeconds / data.pieces)} per piece`}
        />
        <Metric
          label="Notes / piece"
          testId="stat-notes-per-piece"
          value={data.notesPerPiece.mean.toFixed(1)}
          detail={values.length === 0 ? undefined : `${formatCount(fewest)} – ${formatCount(most)}`}
        />
        <Metric label="Polyphony" testId="stat-polyphony" value={data.polyphony.mean.toFixed(2)} detail={`mean · max ${formatCount(data.polyphony.max)}`} />
        <Metric
          label="Pitch range"
          testId="stat-pitch-range"
          value={usedPitchRange(data.pitch)}
          detail={commonestPitch === null ? undefined : `most used ${pitchName(commonestPitch)}`}
        />
        <Metric
          label="Drums"
          testId="stat-drums"
          value={formatCount(data.drums.piecesWithDrums)}
          detail={data.drums.piecesWithDrums === 0 ? 'pieces with drums' : `pieces · ${plural(data.drums.tracks, 'track')}`}
        />
      </dl>

      <div className="plot-grid">
        <BarPlot name="pitch" title="Pitch" xLabel="Pitch (MIDI 60 = C4)" yLabel="Notes" unit="notes" series={plots.pitch} wide height={210} />
        <BarPlot name="pitch-class" title="Pitch class" xLabel="Pitch class" yLabel="Notes" unit="notes" series={plots.pitchClass} tone="violet" />
        <BarPlot name="velocity" title="Velocity" xLabel="MIDI velocity" yLabel="Notes" unit="notes" series={plots.velocity} tone="violet" />
        <BarPlot name="duration" title="Note duration" xLabel="Note value (1/4 = quarter note)" yLabel="Notes" unit="notes" series={plots.duration} tone="teal" />
        <BarPlot
          name="inter-onset"
          title="Inter-onset interval"
          xLabel="Time between onsets (note value)"
          yLabel="Intervals"
          unit="intervals"
          series={plots.interOnset}
          tone="teal"
        />
        <BarPlot name="tempo" title="Tempo" xLabel="Tempo (bpm)" yLabel="Tempo marks" unit="tempo marks" series={plots.tempo} tone="amber" />
        <BarPlot name="notes-per-piece" title="Notes per piece" xLabel="Notes in the piece" yLabel="Pieces" unit="pieces" series={plots.notesPerPiece} tone="amber" />
      </div>

      <div className="stats-tables">
        <ProgramsTable data={data} />
        <ControllersTable data={data} />
      </div>
    </div>
  );
}

function ShareBar({ share }: { share: string }) {
  return (
    <span className="share">
      <span className="share-track">
        <span className="share-fill" style={{ width: share }} />
      </span>
      <span className="share-text">{share}</span>
    </span>
  );
}

function ProgramsTable({ data }: { data: CorpusStatistics }) {
  const noteCounts = [...data.programs.map((use) => use.notes), data.drums.notes];
  return (
    <section className="stats-table-card" aria-label="Programs used" data-testid="programs-table">
      <header className="plot-header">
        <span className="plot-title">Programs</span>
        <span className="plot-readout muted">{plural(data.programs.length, 'GM program')}{data.drums.tracks > 0 ? ' + drums' : ''}</span>
      </header>
      <table className="data-table stats-table">
        <colgroup>
          <col style={{ width: 52 }} />
          <col />
          <col style={{ width: 128 }} />
          <col style={{ width: 64 }} />
          <col style={{ width: 84 }} />
          <col style={{ width: 120 }} />
        </colgroup>
        <thead>
          <tr>
            <th className="numeric">GM #</th>
            <th>Instrument</th>
            <th>Family</th>
            <th className="numeric">Tracks</th>
            <th className="numeric">Notes</th>
            <th>Share of notes</th>
          </tr>
        </thead>
        <tbody>
          {data.programs.map((use) => (
            <tr key={use.program} data-testid="program-row">
              <td className="numeric mono">{gmNumber(use.program)}</td>
              <td className="strong">{gmProgramName(use.program)}</td>
              <td className="muted">{gmFamily(use.program)}</td>
              <td className="numeric">{formatCount(use.tracks)}</td>
              <td className="numeric">{formatCount(use.notes)}</td>
              <td>
                <ShareBar share={shareOf(use.notes, noteCounts)} />
              </td>
            </tr>
          ))}
          {data.drums.tracks > 0 ? (
            <tr data-testid="program-row">
              <td className="numeric mono">ch 10</td>
              <td className="strong">Drum kit</td>
              <td className="muted">Percussion channel</td>
              <td className="numeric">{formatCount(data.drums.tracks)}</td>
              <td className="numeric">{formatCount(data.drums.notes)}</td>
              <td>
                <ShareBar share={shareOf(data.drums.notes, noteCounts)} />
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {data.programs.length === 0 && data.drums.tracks === 0 ? <p className="table-empty">No tracks with notes.</p> : null}
    </section>
  );
}

function ControllersTable({ data }: { data: CorpusStatistics }) {
  return (
    <section className="stats-table-card" aria-label="Control changes used" data-testid="controllers-table">
      <header className="plot-header">
        <span className="plot-title">Control changes</span>
        <span className="plot-readout muted">{plural(data.controlChanges.length, 'controller')}</span>
      </header>
      <table className="data-table stats-table">
        <colgroup>
          <col style={{ width: 52 }} />
          <col />
          <col style={{ width: 84 }} />
          <col style={{ width: 120 }} />
        </colgroup>
        <thead>
          <tr>
            <th className="numeric">CC</th>
            <th>Controller</th>
            <th className="numeric">Events</th>
            <th>In pieces</th>
          </tr>
        </thead>
        <tbody>
          {data.controlChanges.map((use) => (
            <tr key={use.controller} data-testid="controller-row">
              <td className="numeric mono">{use.controller}</td>
              <td className="strong">{controllerName(use.controller)}</td>
              <td className="numeric">{formatCount(use.events)}</td>
              <td>
                <ShareBar share={data.pieces === 0 ? '0%' : `${Math.round((use.pieces / data.pieces) * 100)}%`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.controlChanges.length === 0 ? <p className="table-empty">No control changes in these pieces.</p> : null}
    </section>
  );
}
