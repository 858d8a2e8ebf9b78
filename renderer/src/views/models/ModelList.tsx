/**
 * The Models view's sidebar: every model with its family and representation, corpus, status (a small
 * live progress bar while it trains), iterations and held-out log-likelihood; arrow keys move the
 * selection as in the library's corpus list.
 */
import { useRef, type KeyboardEvent } from 'react';
import { isPolyphonicSettings, type Job, type ModelSummary } from '../../../../core/ipc/schemas';
import { ModelIcon, PlusIcon } from '../../components/icons';
import { formatCount } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import { FAMILY_LABEL, formatFrameNll, formatLogLikelihood, frameNll, isPolyphonicModel, polyphonicKindLabel, STATUS_LABEL, stepNoun, trainingProgress, trainsByEpochs } from './model-format';

export function ModelList({ onTrain }: { onTrain: () => void }) {
  const studio = useModel();
  const models = useStudio((state) => state.models);
  const loaded = useStudio((state) => state.modelsLoaded);
  const selectedId = useStudio((state) => state.selectedModelId);
  const jobs = useStudio((state) => state.jobs);
  const listRef = useRef<HTMLUListElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const index = models.findIndex((model) => model.id === selectedId);
    const next = models[Math.min(models.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    studio.models.select(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-model-id="${next.id}"]`)?.focus();
  };

  return (
    <aside className="sidebar" aria-label="Models">
      <div className="sidebar-header">
        <h2 className="section-title">Models</h2>
        <span className="sidebar-count">{loaded ? formatCount(models.length) : ''}</span>
        <button type="button" className="button button-small button-primary" onClick={onTrain} data-testid="train-open">
          <PlusIcon size={14} /> Train…
        </button>
      </div>
      {loaded && models.length === 0 ? (
        <div className="sidebar-empty">
          <ModelIcon size={28} />
          <p>No models yet.</p>
          <p className="muted">Train one on a corpus’s train split; its validation split gives the held-out score.</p>
        </div>
      ) : (
        <ul className="corpus-list model-list" ref={listRef} onKeyDown={onKeyDown} aria-label="Models">
          {models.map((model, index) => (
            <li key={model.id}>
              <ModelRow
                model={model}
                job={model.jobId === null ? undefined : jobs.find((job) => job.id === model.jobId)}
                selected={model.id === selectedId}
                focusable={model.id === selectedId || (selectedId === null && index === 0)}
                onSelect={() => studio.models.select(model.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

interface ModelRowProps {
  readonly model: ModelSummary;
  readonly job: Job | undefined;
  readonly selected: boolean;
  readonly focusable: boolean;
  readonly onSelect: () => void;
}

function ModelRow({ model, job, selected, focusable, onSelect }: ModelRowProps) {
  const training = model.status === 'training';
  const progress = trainingProgress(model, job);
  const polyphonicKind = isPolyphonicSettings(model.settings) ? model.settings.kind : null;
  return (
    <button
      type="button"
      className={`corpus-row model-row${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="model-row"
      data-model-id={model.id}
      data-status={model.status}
      tabIndex={focusable ? 0 : -1}
      onClick={onSelect}
    >
      <span className="model-row-top">
        <span className="corpus-row-name" title={model.name}>
          {model.name}
        </span>
        <span className={`status-pill status-pill-${model.status}`} data-testid="model-status" data-status={model.status}>
          {STATUS_LABEL[model.status]}
        </span>
      </span>
      <span className="model-row-meta">
        <span className="kind-badge" title={`${FAMILY_LABEL[model.family]} on the ${model.representation} representation${polyphonicKind ? ` · ${polyphonicKindLabel(polyphonicKind)}` : ''}`}>
          <span className="kind-family">{FAMILY_LABEL[model.family]}</span>
          <span className="kind-representation">{polyphonicKind ? (polyphonicKind === 'rnn-nade' ? 'RNN-NADE' : 'baseline') : model.representation}</span>
        </span>
        <span className="model-row-corpus" title={`Trained on ${model.corpusName}`}>
          {model.corpusName}
        </span>
      </span>
      {training ? (
        <span className="model-row-progress" aria-label={`Training: ${stepNoun(model)} ${model.iterations} of at most ${model.settings.maxIterations}`}>
          <span className="mini-progress">
            <span className="mini-progress-fill" style={{ width: `${Math.round(progress * 100)}%` }} />
          </span>
          <span className="model-row-iterations">
            {formatCount(model.iterations)}/{formatCount(model.settings.maxIterations)}
          </span>
        </span>
      ) : (
        <span className="corpus-row-stats">
          <span>
            <span className="stat-value">{formatCount(model.iterations)}</span> {trainsByEpochs(model) ? 'ep' : 'it'}
          </span>
          {isPolyphonicModel(model) ? (
            <span title="Best held-out frame NLL (nats per grid step): lower is better" data-testid="model-row-frame-nll">
              frame NLL <span className="stat-value">{formatFrameNll(frameNll(model.validLogLikelihoodPerToken), 2)}</span>
            </span>
          ) : (
            <span title="Held-out log-likelihood per token (nats)">
              held-out <span className="stat-value">{formatLogLikelihood(model.validLogLikelihoodPerToken, 2)}</span>
            </span>
          )}
        </span>
      )}
    </button>
  );
}
