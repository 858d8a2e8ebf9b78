/**
 * A trained VAE as JSON-able data (settings + weights as base64 float32, weights-codec.ts), for
 * SQLite or a file; and back, checked.
 */
import { decodeArrays, encodeArrays, type EncodedArrays } from '../neural/weights-codec';
import { validateVaeConfig, type VaeConfig } from './config';
import { VaeError } from './errors';
import type { VaeWeights } from './model';

export interface SerializedVaeModel {
  readonly format: 'vae-model';
  readonly version: 1;
  readonly config: VaeConfig;
  readonly weights: EncodedArrays;
}

export function serializeVaeModel(model: VaeWeights): SerializedVaeModel {
  return { format: 'vae-model', version: 1, config: model.config, weights: encodeArrays(model.weights) };
}

export function deserializeVaeModel(data: SerializedVaeModel): VaeWeights {
  if (data?.format !== 'vae-model' || data.version !== 1) throw new VaeError('Not a VAE model (format "vae-model", version 1).');
  validateVaeConfig(data.config);
  const weights = decodeArrays(data.weights).map((array) => {
    if (!(array.values instanceof Float32Array)) throw new VaeError(`The saved weight "${array.name}" is not float32.`);
    return { name: array.name, shape: [...array.shape], values: array.values };
  });
  return { config: data.config, weights };
}
