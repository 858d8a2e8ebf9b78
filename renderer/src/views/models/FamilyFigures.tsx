/**
 * The figure strips of a MusicVAE and an RL tuner. VAE: epochs, the best held-out bound per token
 * (shown as a bound on the NLL, never as a likelihood), the last epoch's reconstruction accuracy and
 * KL, the segment a sample lasts, engine, time, size. RL: iterations, the LSTM it started from, the
 * last mean reward, the discriminator's accuracy, the KL to the start model, the policy's held-out
 * pitch likelihood, time, size.
 */
import { isRlSettings, isVaeSettings, type Job, type ModelSummary } from '../../../../core/ipc/schemas';
import { formatBytes, formatCount } from '../../lib/format';
import { useStudio } from '../../state/studio-context';
import { Figure } from './Figure';
import { formatMetric } from './metric-curves';
import { ENGINE_DETAIL, ENGINE_LABEL, formatDuration, formatLogLikelihood } from './model-format';
import { describeSegment } from './vae-train-form';

const STOP_REASON: Record<string, string> = { converged: 'stopped early', 'max-iterations': 'max reached', stopped: 'stopped' };

function lastMetric(model: ModelSummary, key: string): number | null {
  for (let index = model.history.length - 1; index >= 0; index -= 1) {
    const value = model.history[index]!.metrics?.[key];
    if (value !== undefined && Number.isFinite(value)) return value;
  }
  return null;
}

function StepsFigure({ model, job, noun }: { model: ModelSummary; job: Job | undefined; noun: string }) {
  const stopReason = job?.result?.kind === 'train-model' ? STOP_REASON[job.result.stopReason] : undefined;
  return (
    <Figure
      label={noun}
      value={formatCount(model.iterations)}
      rawValue={model.iterations}
      testId="model-iterations"
      detail={`of ${formatCount(model.settings.maxIterations)}${stopReason && model.status === 'trained' ? ` · ${stopReason}` : ' at most'}`}
    />
  );
}

/** Engine (and why), training time per `noun` (epoch, iteration) and size, with what the train split counted in `trainUnit`. */
export function RunFigures({ model, noun, trainUnit = 'tokens' }: { model: ModelSummary; noun: string; trainUnit?: string }) {
  const per = model.iterations > 0 ? model.trainingSeconds / model.iterations : null;
  return (
    <>
      <Figure
        label="Engine"
        value={model.engine === null ? '—' : ENGINE_LABEL[model.engine]}
        testId="model-engine"
        title={model.engineReason ?? undefined}
        detail={model.engine === null ? `known after the first ${noun}` : (model.engineReason ?? ENGINE_DETAIL[model.engine])}
      />
      <Figure label="Training time" value={formatDuration(model.trainingSeconds)} testId="model-time" detail={per === null ? undefined : `${formatDuration(per)} / ${noun}`} />
      <Figure label="Size" value={model.sizeBytes > 0 ? formatBytes(model.sizeBytes) : '—'} testId="model-size" detail={`${formatCount(model.trainTokens)} train ${trainUnit}`} />
    </>
  );
}

export function VaeFigures({ model, job }: { model: ModelSummary; job: Job | undefined }) {
  const settings = isVaeSettings(model.settings) ? model.settings : null;
  const bound = model.validLogLikelihoodPerToken === null ? null : -model.validLogLikelihoodPerToken;
  const accuracy = lastMetric(model, 'validAccuracy') ?? lastMetric(model, 'reconstructionAccuracy');
  const kl = lastMetric(model, 'kl');
  return (
    <dl className="metrics model-metrics" data-testid="model-figures" data-kind="vae">
      <StepsFigure model={model} job={job} noun="Epochs" />
      <Figure
        label="Held-out bound"
        value={bound === null ? '—' : bound.toFixed(3)}
        rawValue={bound}
        testId="model-valid-bound"
        title="The best held-out −ELBO per melody step (nats): a bound, the true NLL is at most this. Lower is better."
        detail="nats/token, bound (≥ NLL)"
      />
      <Figure
        label="Reconstruction"
        value={formatMetric(accuracy, true)}
        rawValue={accuracy}
        testId="model-reconstruction"
        title="Share of melody steps given back as encoded, last epoch (held-out when there is a validation split)"
        detail="accuracy, last epoch"
      />
      <Figure label="KL" value={formatMetric(kl)} rawValue={kl} testId="model-kl" detail="nats/segment, last epoch" />
      <Figure
        label="Segment"
        value={settings ? `${settings.bars} bar${settings.bars === 1 ? '' : 's'}` : '—'}
        testId="model-segment"
        detail={settings ? `${describeSegment(settings)}: a sample’s length` : undefined}
      />
      <RunFigures model={model} noun="epoch" />
    </dl>
  );
}

export function RlFigures({ model, job }: { model: ModelSummary; job: Job | undefined }) {
  const settings = isRlSettings(model.settings) ? model.settings : null;
  const start = useStudio((state) => (settings === null ? undefined : state.models.find((candidate) => candidate.id === settings.startModelId)));
  const reward = lastMetric(model, 'reward');
  const real = lastMetric(model, 'discriminatorAccuracyReal');
  const fake = lastMetric(model, 'discriminatorAccuracyFake');
  const kl = lastMetric(model, 'kl');
  return (
    <dl className="metrics model-metrics" data-testid="model-figures" data-kind="rl">
      <StepsFigure model={model} job={job} noun="Iterations" />
      <Figure
        label="Start model"
        value={start ? start.name : settings ? `#${settings.startModelId}` : '—'}
        testId="model-start-model"
        title="The trained LSTM the policy started from; the KL term keeps it close"
        detail={start ? `LSTM on ${start.corpusName}` : 'deleted since (the tuned policy is kept)'}
      />
      <Figure label="Mean reward" value={formatMetric(reward)} rawValue={reward} testId="model-reward" detail="per note, last iteration" />
      <Figure
        label="Discriminator"
        value={`${formatMetric(real, true)} / ${formatMetric(fake, true)}`}
        testId="model-discriminator"
        title="Accuracy on corpus phrases (real) and on the policy’s (fake)"
        detail="accuracy real / fake"
      />
      <Figure label="KL to start" value={formatMetric(kl)} rawValue={kl} testId="model-kl" detail="nats/note, last iteration" />
      <Figure
        label="Held-out LL"
        value={formatLogLikelihood(model.validLogLikelihoodPerToken)}
        rawValue={model.validLogLikelihoodPerToken}
        testId="model-valid-ll"
        title="The tuned policy’s pitch log-likelihood per note of the validation split, as an LSTM’s"
        detail={model.validLogLikelihoodPerToken === null ? 'scored after training' : 'nats/note (pitch)'}
      />
      <RunFigures model={model} noun="iteration" />
    </dl>
  );
}
