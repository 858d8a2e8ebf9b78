/**
 * The Models view's workspace: the selected model's header (name, kind, corpus, settings, status and
 * Stop / Resume / Delete), its figures (iterations or epochs, train and held-out log-likelihood or
 * losses, perplexity, the engine that trained it and why, time, size), the live training curve, the
 * Generate panel and the clips.
 */
import { useState } from 'react';
import { isPolyphonicSettings, type Job, type ModelSummary } from '../../../../core/ipc/schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AlertIcon, ModelIcon, PlayIcon, PlusIcon, StopIcon, TrashIcon } from '../../components/icons';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, plural } from '../../lib/format';
import { useModel, useStudio } from '../../state/studio-context';
import { likelihoodMeaning } from '../../../../core/models/neural-studio/likelihood';
import { ClipsPanel } from '../clips/ClipsPanel';
import { GeneratePanel } from './GeneratePanel';
import {
  describeSettings,
  FAMILY_LABEL,
  formatFrameNll,
  formatLogLikelihood,
  frameNll,
  formatPerplexity,
  formatGain,
  isNeuralModel,
  isPolyphonicModel,
  isRlModel,
  isVaeModel,
  lastTrainLogLikelihood,
  polyphonicKindLabel,
  perplexity,
  resumePlan,
  STATUS_LABEL,
  stepNoun,
  trainingProgress,
} from './model-format';
import { TrainingCurve } from './TrainingCurve';
import { Figure } from './Figure';
import { MetricCharts } from './MetricCharts';
import { RlFigures, RunFigures, VaeFigures } from './FamilyFigures';
import { VaeUsesPanel } from './VaeUsesPanel';
import { bestHeldOut, curveData, frameNllCurveData, lastGain } from './training-curve-model';

export function ModelWorkspace({ onTrain }: { onTrain: () => void }) {
  const models = useStudio((state) => state.models);
  const loaded = useStudio((state) => state.modelsLoaded);
  const selectedId = useStudio((state) => state.selectedModelId);
  const model = models.find((candidate) => candidate.id === selectedId);
  if (!loaded) return <div className="workspace-empty" aria-busy="true" />;
  if (!model) {
    return (
      <div className="model-view">
        <div className="workspace-empty models-empty">
          <ModelIcon size={40} />
          <h2>Train a first model</h2>
          <p className="muted">
            A hidden Markov model, an LSTM, a small transformer or a polyphonic RNN-NADE learns from a corpus’s train split, is scored on its validation split, and then samples new clips
            you can preview and export as MIDI.
          </p>
          <button type="button" className="button button-primary" onClick={onTrain}>
            <PlusIcon size={14} /> Train model…
          </button>
        </div>
        <div className="model-clips-only">
          <ClipsPanel model={null} />
        </div>
      </div>
    );
  }
  // Keyed by model so the Generate form and the curve start fresh for each model.
  return <ModelDetail key={model.id} model={model} />;
}

const STOP_REASON: Record<string, string> = {
  converged: 'converged',
  'max-iterations': 'max reached',
  stopped: 'stopped',
};

function ModelDetail({ model }: { model: ModelSummary }) {
  const studio = useModel();
  const job = useStudio((state) => (model.jobId === null ? undefined : state.jobs.find((candidate) => candidate.id === model.jobId)));
  const clipCount = useStudio((state) => state.clips.filter((clip) => clip.modelId === model.id).length);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const training = model.status === 'training';
  const plan = resumePlan(model);
  const noun = stepNoun(model);

  const resume = async () => {
    setBusy(true);
    await studio.models.resume(model.id);
    setBusy(false);
  };
  const stop = async () => {
    setBusy(true);
    await studio.models.stop(model.id);
    setBusy(false);
  };

  return (
    <section className="model-view" aria-label={`Model ${model.name}`} data-testid="model-detail" data-model-id={model.id}>
      <header className="corpus-header model-header">
        <div className="corpus-title model-title">
          <span className="eyebrow">
            {FAMILY_LABEL[model.family]} · {model.representation} representation
          </span>
          <h1 title={model.name}>{model.name}</h1>
          <span className="muted small model-settings" title={describeSettings(model.settings)}>
            on <span className="strong">{model.corpusName}</span> · {describeSettings(model.settings)}
          </span>
        </div>
        <div className="model-state">
          <span className={`status-pill status-pill-large status-pill-${model.status}`} data-testid="model-status" data-status={model.status}>
            {training ? <span className="spinner" aria-hidden="true" /> : null}
            {STATUS_LABEL[model.status]}
          </span>
          {training ? (
            <span className="model-state-progress">
              <ProgressBar value={trainingProgress(model, job)} label="Training progress" />
              <span className="muted small">{job?.message || `${capitalise(noun)} ${model.iterations} of at most ${model.settings.maxIterations}`}</span>
            </span>
          ) : null}
        </div>
        <div className="corpus-actions">
          {training ? (
            <button type="button" className="button" onClick={() => void stop()} disabled={busy || model.jobId === null} data-testid="model-stop">
              <StopIcon size={13} /> Stop
            </button>
          ) : plan.kind !== 'none' ? (
            <button
              type="button"
              className="button"
              onClick={() => void resume()}
              disabled={busy}
              data-testid="model-resume"
              title={
                plan.kind === 'resume'
                  ? `Continue from ${noun} ${model.iterations} up to ${model.settings.maxIterations}`
                  : `The maximum is reached: continue up to ${plan.maxIterations} ${noun}s`
              }
            >
              <PlayIcon size={13} /> {plan.kind === 'resume' ? 'Resume' : 'Train further'}
            </button>
          ) : null}
          <button type="button" className="button button-danger-quiet" onClick={() => setConfirming(true)} data-testid="model-delete">
            <TrashIcon size={14} /> Delete
          </button>
        </div>
      </header>
      <div className="model-scroll">
        {model.status === 'failed' && model.error ? (
          <div className="inline-alert" role="alert" data-testid="model-error">
            <AlertIcon size={16} />
            <span>{model.error}</span>
          </div>
        ) : null}
        {isVaeModel(model) ? (
          <VaeFigures model={model} job={job} />
        ) : isRlModel(model) ? (
          <RlFigures model={model} job={job} />
        ) : isPolyphonicModel(model) ? (
          <PolyphonicFigures model={model} job={job} />
        ) : isNeuralModel(model) ? (
          <NeuralFigures model={model} job={job} />
        ) : (
          <ModelFigures model={model} job={job} />
        )}
        {isVaeModel(model) || isRlModel(model) ? (
          <>
            <MetricCharts model={model} />
            <div className="model-grid">
              {isVaeModel(model) ? <VaeUsesPanel model={model} /> : <TrainingCurve model={model} />}
              <GeneratePanel model={model} />
            </div>
          </>
        ) : (
          <div className="model-grid">
            <TrainingCurve model={model} />
            <GeneratePanel model={model} />
          </div>
        )}
        <ClipsPanel model={model} />
      </div>
      {confirming ? (
        <ConfirmDialog
          title={`Delete “${model.name}”?`}
          confirmLabel="Delete model"
          danger
          confirmTestId="confirm-delete"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const deleted = await studio.models.delete(model.id);
            if (!deleted) setConfirming(false);
          }}
        >
          <p>
            Its parameters and training history ({plural(model.iterations, noun)}) are deleted
            {training ? ', and its training run is stopped' : ''}.
          </p>
          {clipCount > 0 ? <p>Its {plural(clipCount, 'clip')} stay in the clip list.</p> : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function ModelFigures({ model, job }: { model: ModelSummary; job: Job | undefined }) {
  const train = lastTrainLogLikelihood(model);
  const valid = model.validLogLikelihoodPerToken;
  const gain = lastGain(curveData(model.history, null));
  const stopReason = job?.result?.kind === 'train-model' ? STOP_REASON[job.result.stopReason] : undefined;
  const validPerplexity = valid === null ? null : perplexity(valid, model.representation);
  const trainPerplexity = train === null ? null : perplexity(train, model.representation);
  return (
    <dl className="metrics model-metrics" data-testid="model-figures">
      <Figure
        label="Iterations"
        value={formatCount(model.iterations)}
        rawValue={model.iterations}
        testId="model-iterations"
        detail={`of ${formatCount(model.settings.maxIterations)}${stopReason && model.status === 'trained' ? ` · ${stopReason}` : ' at most'}`}
      />
      <Figure
        label="Train LL"
        value={formatLogLikelihood(train)}
        rawValue={train}
        testId="model-train-ll"
        title="Log-likelihood per token of the train split after the last iteration (nats)"
        detail={gain === null ? 'nats/token' : `${formatGain(gain)} last iteration`}
      />
      <Figure
        label="Held-out LL"
        value={formatLogLikelihood(valid)}
        rawValue={valid}
        testId="model-valid-ll"
        title="Log-likelihood per token of the corpus’s validation split (nats): higher is better"
        detail={valid !== null ? 'nats/token, valid split' : model.status === 'training' ? 'scored after training' : 'not scored'}
      />
      <Figure
        label="Perplexity"
        value={formatPerplexity(validPerplexity)}
        rawValue={validPerplexity}
        testId="model-perplexity"
        title="exp(−LL per token) on the validation split: the number of equally likely choices the model is left with"
        detail={
          model.representation === 'note'
            ? 'n/a: note features are densities'
            : trainPerplexity === null
              ? 'exp(−LL), held-out'
              : `held-out · train ${formatPerplexity(trainPerplexity)}`
        }
      />
      <RunFigures model={model} noun="iteration" />
    </dl>
  );
}

/** A loss: three decimals, or scientific below 0.01 (a model that has learned its corpus). */
function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value < 0.01 && value > 0 ? value.toExponential(2) : value.toFixed(3);
}

const NEURAL_STOP_REASON: Record<string, string> = {
  converged: 'stopped early',
  'max-iterations': 'max reached',
  stopped: 'stopped',
};

/** The figures of an LSTM or a transformer: epochs, losses, held-out likelihood (with what it measures), engine and why. */
function NeuralFigures({ model, job }: { model: ModelSummary; job: Job | undefined }) {
  const last = model.history.at(-1);
  const valid = model.validLogLikelihoodPerToken;
  const resolution = 'resolution' in model.settings ? model.settings.resolution : undefined;
  const meaning = likelihoodMeaning(model.family, model.representation, resolution);
  const stopReason = job?.result?.kind === 'train-model' ? NEURAL_STOP_REASON[job.result.stopReason] : undefined;
  const validPerplexity = valid === null || !meaning.perplexity ? null : Math.exp(-valid);
  const bestValid = model.history.reduce<number | null>(
    (best, point) => (point.validLoss !== undefined && (best === null || point.validLoss < best) ? point.validLoss : best),
    null,
  );
  return (
    <dl className="metrics model-metrics" data-testid="model-figures">
      <Figure
        label="Epochs"
        value={formatCount(model.iterations)}
        rawValue={model.iterations}
        testId="model-iterations"
        detail={`of ${formatCount(model.settings.maxIterations)}${stopReason && model.status === 'trained' ? ` · ${stopReason}` : ' at most'}`}
      />
      <Figure
        label="Train loss"
        value={formatLoss(last?.trainLoss)}
        rawValue={last?.trainLoss ?? null}
        testId="model-train-loss"
        title="The last epoch’s mean training loss (what the optimiser minimises)"
        detail={last?.learningRate === undefined ? 'last epoch' : `lr ${last.learningRate.toPrecision(2)}`}
      />
      <Figure
        label="Validation loss"
        value={formatLoss(last?.validLoss)}
        rawValue={last?.validLoss ?? null}
        testId="model-valid-loss"
        title="The loss on the corpus’s validation split after the last epoch: lower is better"
        detail={last?.validLoss === undefined ? 'no validation split' : bestValid === null ? 'valid split' : `best ${formatLoss(bestValid)}`}
      />
      <Figure
        label="Held-out LL"
        value={formatLogLikelihood(valid)}
        rawValue={valid}
        testId="model-valid-ll"
        title={meaning.description}
        detail={valid === null ? 'after the first epoch' : meaning.unit}
      />
      <Figure
        label="Perplexity"
        value={formatPerplexity(validPerplexity)}
        rawValue={validPerplexity}
        testId="model-perplexity"
        title="exp(−LL) on the validation split: the number of equally likely choices the model is left with"
        detail={model.family === 'lstm' ? 'over 128 pitches, held-out' : 'over 388 events, held-out'}
      />
      <RunFigures model={model} noun="epoch" trainUnit={model.family === 'lstm' ? 'notes' : 'events'} />
    </dl>
  );
}

/**
 * The figures of a polyphonic model: epochs, the train and held-out frame NLL of the last epoch and
 * the best held-out one (nats per grid step, lower is better; the history stores minus these), its
 * kind, the engine and why, time and size.
 */
function PolyphonicFigures({ model, job }: { model: ModelSummary; job: Job | undefined }) {
  const curve = frameNllCurveData(model.history);
  const last = curve.train.length - 1;
  const train = last >= 0 ? curve.train[last]! : null;
  const heldOut = last >= 0 ? curve.valid[last]! : null;
  const best = frameNll(model.validLogLikelihoodPerToken);
  const bestEpoch = bestHeldOut(curve)?.epoch ?? null;
  const stopReason = job?.result?.kind === 'train-model' ? NEURAL_STOP_REASON[job.result.stopReason] : undefined;
  const settings = isPolyphonicSettings(model.settings) ? model.settings : null;
  return (
    <dl className="metrics model-metrics" data-testid="model-figures" data-kind="polyphonic">
      <Figure
        label="Epochs"
        value={formatCount(model.iterations)}
        rawValue={model.iterations}
        testId="model-iterations"
        detail={`of ${formatCount(model.settings.maxIterations)}${stopReason && model.status === 'trained' ? ` · ${stopReason}` : ' at most'}`}
      />
      <Figure
        label="Train frame NLL"
        value={formatFrameNll(train)}
        rawValue={train}
        testId="model-train-frame-nll"
        title="Negative log-likelihood per grid step of the train split in the last epoch (nats): lower is better"
        detail="nats/step, last epoch"
      />
      <Figure
        label="Held-out frame NLL"
        value={formatFrameNll(heldOut)}
        rawValue={heldOut}
        testId="model-valid-frame-nll"
        title="Negative log-likelihood per grid step of the corpus’s validation split after the last epoch (nats): lower is better"
        detail={heldOut === null ? (model.status === 'training' ? 'after the first epoch' : 'no validation split') : 'nats/step, valid split'}
      />
      <Figure
        label="Best held-out"
        value={formatFrameNll(best)}
        rawValue={best}
        testId="model-best-frame-nll"
        title="The lowest held-out frame NLL of any epoch (nats per grid step): the checkpoint the model keeps; lower is better"
        detail={best === null ? 'lower is better' : `nats/step${bestEpoch === null ? '' : ` · epoch ${bestEpoch}`} · lower is better`}
      />
      <Figure
        label="Kind"
        value={settings ? (settings.kind === 'rnn-nade' ? 'RNN-NADE' : 'Independent') : '—'}
        testId="model-poly-kind"
        title={settings ? polyphonicKindLabel(settings.kind) : undefined}
        detail={settings?.kind === 'rnn-bernoulli' ? 'baseline: pitches drawn independently' : 'joint over each step’s pitches'}
      />
      <RunFigures model={model} noun="epoch" trainUnit="steps" />
    </dl>
  );
}
