/** A stored HMM (the JSON of its state column) read back for the representation it was trained on. */
import { HmmSettingsError } from '../hmm/errors';
import type { NoteHmmParams } from '../hmm/note-hmm';
import { deserializeCategoricalHmm, deserializeNoteHmm } from '../hmm/serialize';
import type { CategoricalHmmParams } from '../hmm/types';
import type { RepresentationSettings } from './sequences';
import { symbolCount } from './sequences';

export type LoadedHmm =
  | { readonly kind: 'categorical'; readonly params: CategoricalHmmParams }
  | { readonly kind: 'note'; readonly params: NoteHmmParams };

export function loadSavedHmm(state: unknown, settings: Pick<RepresentationSettings, 'representation'>): LoadedHmm {
  if (settings.representation === 'note') return { kind: 'note', params: deserializeNoteHmm(state).params };
  const { params } = deserializeCategoricalHmm(state);
  const expected = symbolCount(settings.representation);
  if (params.nSymbols !== expected) {
    throw new HmmSettingsError(`The saved model has ${params.nSymbols} symbols; the ${settings.representation} representation has ${expected}.`);
  }
  return { kind: 'categorical', params };
}
