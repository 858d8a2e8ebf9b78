/**
 * The Compare view's workspace: the selected comparison's header (name, corpus, reference split,
 * status and live progress, Export CSV / Export samples / Delete), then its numbers (the table), its
 * pictures (piano rolls, overlaid histograms, training curves) and ears (A/B listening). While the
 * job runs the sections fill in as main stores each stage.
 */
import { useMemo, useState } from 'react';
import type { Comparison, Job } from '../../../../core/ipc/schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AlertIcon, ChartIcon, ExportIcon, PlusIcon, TrashIcon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { plural } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import { AbPanel } from './AbPanel';
import { useComparisonLibrary, useComparisonState } from './comparison-context';
import { buildTable, histogramOverlay, modelColour, REFERENCE_COLOUR, type HistogramKind, type PendingModel } from './compare-model';
import { CompareRolls } from './CompareRolls';
import { COMPARISON_STATUS_LABEL, COMPARISON_STATUS_TONE } from './CompareSidebar';
import { CompareTable } from './CompareTable';
import { LossCurves } from './LossCurves';
import { OverlayHistogram } from './OverlayHistogram';

const HISTOGRAMS: readonly HistogramKind[] = ['pitchClass', 'interOnset', 'duration'];

export function CompareWorkspace({ onNew }: { onNew: () => void }) {
  const loaded = useComparisonState((state) => state.listLoaded);
  const selectedId = useComparisonState((state) => state.selectedId);
  const entry = useComparisonState((state) => (state.selectedId === null ? undefined : state.entries[state.selectedId]));
  const library = useComparisonLibrary();
  if (!loaded) return <div className="workspace-empty" aria-busy="true" />;
  if (selectedId === null) {
    return (
      <div className="workspace-empty compare-empty">
        <ChartIcon size={40} />
        <h2>Compare models</h2>
        <p className="muted">
          Pick a corpus and some of its trained models. Each model is scored on a held-out split, generates samples of the same length from the same
          seeds, and the samples are measured against the corpus (MusPy metrics, Yang &amp; Lerch’s overlap areas), drawn and played side by side.
        </p>
        <button type="button" className="button button-primary" onClick={onNew} data-testid="compare-new-empty">
          <PlusIcon size={14} /> New comparison…
        </button>
      </div>
    );
  }
  const comparison = entry?.comparison ?? null;
  if (!comparison) {
    return entry?.status === 'error' ? (
      <div className="workspace-empty">
        <AlertIcon size={32} />
        <p>Could not open the comparison: {entry.error}</p>
        <button type="button" className="button" onClick={() => void library.load(selectedId)}>
          Try again
        </button>
      </div>
    ) : (
      <div className="workspace-empty" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
      </div>
    );
  }
  return <ComparisonDetail key={comparison.id} comparison={comparison} />;
}

function ComparisonDetail({ comparison }: { comparison: Comparison }) {
  const library = useComparisonLibrary();
  const studio = useModel();
  const job = useStudio((state) => (comparison.jobId === null ? undefined : state.jobs.find((candidate) => candidate.id === comparison.jobId)));
  const models = useStudio((state) => state.models);
  const exporting = useComparisonState((state) => state.exporting[comparison.id] ?? null);
  const [confirming, setConfirming] = useState(false);
  const running = comparison.status === 'running';
  const results = comparison.results;

  const known = useMemo<PendingModel[]>(
    () => models.filter((model) => comparison.modelIds.includes(model.id)).map((model) => ({ id: model.id, name: model.name, family: model.family, representation: model.representation })),
    [models, comparison.modelIds],
  );
  const table = useMemo(() => buildTable(comparison, known), [comparison, known]);
  const overlays = useMemo(() => (results ? HISTOGRAMS.map((kind) => histogramOverlay(results, kind, comparison.modelIds)) : []), [results, comparison.modelIds]);
  const hasSamples = (results?.models.length ?? 0) > 0;

  return (
    <section className="model-view compare-detail" aria-label={`Comparison ${comparison.name}`} data-testid="compare-detail" data-comparison-id={comparison.id} data-status={comparison.status}>
      <header className="corpus-header model-header compare-header">
        <div className="corpus-title model-title">
          <span className="eyebrow">
            Comparison · {comparison.corpusName} · {comparison.referenceSplit} split
          </span>
          <h1 title={comparison.name}>{comparison.name}</h1>
          <span className="muted small">
            {plural(comparison.modelIds.length, 'model')} · {plural(comparison.samplesPerModel, 'sample')} each
            {results ? ` · ${plural(results.reference.pieces, 'reference piece')}` : ''}
          </span>
        </div>
        <div className="model-state">
          <span className={`status-pill status-pill-large status-pill-${COMPARISON_STATUS_TONE[comparison.status]}`} data-testid="compare-status" data-status={comparison.status}>
            {running ? <span className="spinner" aria-hidden="true" /> : null}
            {COMPARISON_STATUS_LABEL[comparison.status]}
          </span>
          {running ? <RunProgress job={job} /> : null}
        </div>
        <div className="corpus-actions">
          {running && comparison.jobId !== null ? (
            <button type="button" className="button" onClick={() => void studio.cancelJob(comparison.jobId!)} data-testid="compare-cancel">
              Stop
            </button>
          ) : null}
          <button type="button" className="button" disabled={!hasSamples || running || exporting !== null} onClick={() => void library.exportCsv(comparison.id)} data-testid="compare-export-csv" title="The numbers as CSV: one row per model and metric">
            <ExportIcon size={14} /> {exporting === 'csv' ? 'Exporting…' : 'CSV'}
          </button>
          <button
            type="button"
            className="button"
            disabled={!hasSamples || running || exporting !== null}
            onClick={() => void library.exportSamples(comparison.id)}
            data-testid="compare-export-samples"
            title={studio.state.appInfo?.mode === 'electron' ? 'Save every sample as a .mid file, a folder per model' : 'Download every sample as a .mid file in a .zip, a folder per model'}
          >
            <ExportIcon size={14} /> {exporting === 'samples' ? 'Exporting…' : 'Samples'}
          </button>
          <button type="button" className="button button-danger-quiet" onClick={() => setConfirming(true)} data-testid="compare-delete">
            <TrashIcon size={14} /> Delete
          </button>
        </div>
      </header>
      <div className="model-scroll compare-scroll">
        {comparison.status === 'failed' ? (
          <div className="inline-alert" role="alert" data-testid="compare-failure">
            <AlertIcon size={16} />
            <span>{comparison.error ?? 'The comparison failed.'}</span>
          </div>
        ) : comparison.status === 'cancelled' ? (
          <div className="inline-alert inline-alert-quiet" role="status">
            <AlertIcon size={16} />
            <span>This comparison was stopped before it finished; the samples made so far are in the clip list.</span>
          </div>
        ) : null}

        {results || running ? (
          <>
            <h2 className="compare-section-title">Numbers</h2>
            <CompareTable table={table} split={comparison.referenceSplit} />
          </>
        ) : null}
        {running && !results ? <p className="compare-waiting muted">Scoring the {comparison.referenceSplit} split and measuring the reference…</p> : null}

        {results ? (
          <>
            <h2 className="compare-section-title">Pictures</h2>
            <CompareRolls comparison={comparison} />
            <Legend comparison={comparison} />
            <div className="compare-histograms">
              {overlays.map((overlay) => (
                <OverlayHistogram key={overlay.kind} overlay={overlay} />
              ))}
            </div>
            {hasSamples ? <LossCurves models={results.models} modelIds={comparison.modelIds} /> : null}
          </>
        ) : null}

        {results && hasSamples && !running ? (
          <>
            <h2 className="compare-section-title">Ears</h2>
            <AbPanel comparison={comparison} />
          </>
        ) : null}
      </div>
      {confirming ? (
        <ConfirmDialog
          title={`Delete “${comparison.name}”?`}
          confirmLabel="Delete comparison"
          danger
          confirmTestId="confirm-delete"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const deleted = await library.delete(comparison.id);
            if (!deleted) setConfirming(false);
          }}
        >
          <p>Its numbers and recorded preferences are deleted{running ? ', and its run is stopped' : ''}.</p>
          <p>Its samples stay in the clip list.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function RunProgress({ job }: { job: Job | undefined }) {
  return (
    <span className="model-state-progress" data-testid="compare-progress">
      <ProgressBar value={!job || job.status === 'queued' ? null : job.progress} label="Comparison progress" />
      <span className="muted small">{job?.message || 'Waiting for a worker…'}</span>
    </span>
  );
}

/** Who is who in the pictures: the reference in grey, each model in its colour. */
function Legend({ comparison }: { comparison: Comparison }) {
  const models = comparison.results?.models ?? [];
  return (
    <div className="compare-legend" aria-label="Colours">
      <span className="legend-item">
        <span className="legend-box" style={{ background: REFERENCE_COLOUR, opacity: 0.6 }} />
        Reference ({comparison.referenceSplit})
      </span>
      {models.map((model, index) => {
        const position = comparison.modelIds.indexOf(model.modelId);
        return (
          <span className="legend-item" key={model.modelId}>
            <span className="legend-line" style={{ background: modelColour(position === -1 ? index : position) }} />
            {model.modelName}
          </span>
        );
      })}
    </div>
  );
}
