/** Dense k-means (k-means++ seeding, Lloyd rounds) on a sample of points, for data-driven starts. */
import { drawIndex, type Random } from './random';

export interface KMeans {
  readonly centres: Float64Array;
  /** Index of the centre nearest to point `index` of the full point set. */
  nearest(index: number): number;
}

/**
 * points: count×width row-major. Only `sample` (indices into points) is clustered; `nearest` then
 * labels any point. Empty clusters restart at a random sampled point.
 */
export function kmeans(points: Float64Array, width: number, sample: readonly number[], k: number, random: Random, rounds = 12): KMeans {
  const centres = new Float64Array(k * width);
  const distance = (index: number, c: number): number => {
    let sum = 0;
    for (let x = 0; x < width; x++) {
      const delta = points[index * width + x]! - centres[c * width + x]!;
      sum += delta * delta;
    }
    return sum;
  };
  const setCentre = (c: number, index: number): void => {
    for (let x = 0; x < width; x++) centres[c * width + x] = points[index * width + x]!;
  };
  const nearest = (index: number): number => {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const value = distance(index, c);
      if (value < bestDistance) {
        bestDistance = value;
        best = c;
      }
    }
    return best;
  };

  setCentre(0, sample[Math.floor(random() * sample.length)]!);
  const closest = new Float64Array(sample.length).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let s = 0; s < sample.length; s++) {
      closest[s] = Math.min(closest[s]!, distance(sample[s]!, c - 1));
      total += closest[s]!;
    }
    const pick = total > 0 ? drawIndex(random, closest, 0, sample.length, total) : Math.floor(random() * sample.length);
    setCentre(c, sample[pick]!);
  }

  const labels = new Int32Array(sample.length).fill(-1);
  const sizes = new Float64Array(k);
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    for (let s = 0; s < sample.length; s++) {
      const label = nearest(sample[s]!);
      if (label !== labels[s]) moved = true;
      labels[s] = label;
    }
    if (!moved) break;
    centres.fill(0);
    sizes.fill(0);
    for (let s = 0; s < sample.length; s++) {
      const c = labels[s]!;
      sizes[c] = sizes[c]! + 1;
      for (let x = 0; x < width; x++) centres[c * width + x] = centres[c * width + x]! + points[sample[s]! * width + x]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) setCentre(c, sample[Math.floor(random() * sample.length)]!);
      else for (let x = 0; x < width; x++) centres[c * width + x] = centres[c * width + x]! / sizes[c]!;
    }
  }
  return { centres, nearest };
}

/** Every stride-th index from a random start, about `target` of them. */
export function strideSample(count: number, target: number, random: Random): number[] {
  const stride = Math.max(1, Math.floor(count / target));
  const sample: number[] = [];
  for (let index = Math.floor(random() * stride); index < count; index += stride) sample.push(index);
  return sample;
}
