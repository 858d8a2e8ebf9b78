/** Names the studio gives what it makes, unless the composer names it. */
import type { HmmSettings } from '../../ipc/schemas';

/** e.g. "HMM 16 states · pitch". */
export function defaultModelName(settings: Pick<HmmSettings, 'states' | 'representation'>): string {
  return `HMM ${settings.states} state${settings.states === 1 ? '' : 's'} · ${settings.representation}`;
}

/** e.g. "HMM 16 states · pitch · sample 3". */
export function clipName(modelName: string, sampleNumber: number): string {
  return `${modelName} · sample ${sampleNumber}`;
}

/** "−2.34" with a true minus sign, for progress messages. */
export function formatNats(value: number): string {
  return value.toFixed(2).replace('-', '−');
}
