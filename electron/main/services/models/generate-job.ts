/**
 * Main's side of the generate job: hands the worker the model's saved state (and, for a neural
 * model, its primer), stores every piece it sends back as a clip at once (so a cancelled request
 * keeps the clips already made, and the first clips can be played while the others are made), and
 * reports their ids.
 */
import { isHmmSettings, type JobResult } from '../../../../core/ipc/schemas';
import {
  GENERATE_JOB,
  GeneratePayloadSchema,
  clipName,
  type GeneratedPieceData,
  type GenerateInput,
  type GeneratePayload,
} from '../../../../core/models/hmm-studio';
import { StudioError } from '../../../../core/ipc/envelope';
import type { ClipStore } from '../clips/clip-store';
import { defineJob } from '../jobs/job-definition';
import type { ModelStore } from './model-store';
import { neuralGenerateInput } from './neural-input';

export interface GenerateJobDependencies {
  readonly models: ModelStore;
  readonly clips: ClipStore;
  readonly onClipAdded: (clipId: number) => void;
}

export function generateJob(dependencies: GenerateJobDependencies) {
  const { models, clips, onClipAdded } = dependencies;
  return defineJob<GeneratePayload>({
    kind: GENERATE_JOB,
    payloadSchema: GeneratePayloadSchema,
    title: (payload) => {
      const model = models.find(payload.modelId);
      const what = `${payload.count} clip${payload.count === 1 ? '' : 's'}`;
      return model ? `Generate ${what} with “${model.name}”` : `Generate ${what}`;
    },
    start(payload) {
      const model = models.get(payload.modelId);
      const state = models.state(payload.modelId);
      if (state === null) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one iteration first.`);
      const settings = model.settings;
      const typicalTempo = models.typicalTempo(model.corpusId);
      let input: GenerateInput | ReturnType<typeof neuralGenerateInput>;
      if (isHmmSettings(settings)) {
        input = { settings, state, tempoBpm: typicalTempo };
      } else {
        input = neuralGenerateInput({ clips, settings, state, payload, typicalTempo });
      }
      const clipIds: number[] = [];
      return {
        input,
        onData(data) {
          const generated = data as GeneratedPieceData;
          if (generated.type !== 'piece') return;
          const name = clipName(model.name, clips.countOfModel(model.id) + 1);
          const clipId = clips.insert({ name, modelId: model.id, music: generated.piece });
          clipIds.push(clipId);
          onClipAdded(clipId);
        },
        finish(): JobResult {
          return { kind: 'generate', modelId: payload.modelId, clipIds: [...clipIds] };
        },
      };
    },
  });
}
