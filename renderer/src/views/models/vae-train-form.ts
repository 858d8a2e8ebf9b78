/**
 * The "Train model…" form's MusicVAE settings apart from React: the segment (bars, meter, grid), the
 * network (hierarchical or flat, latent size, encoder / conductor / decoder units), training, the KL
 * annealing and free bits, scheduled sampling and the seed, with the contract's defaults; the
 * schema decides every limit (settings-form.ts).
 */
import { VaeSettingsSchema, type VaeSettings } from '../../../../core/ipc/schemas';
import { textsFrom, validateSettingsForm, type FieldTexts, type NumberFieldSpec, type SettingsValidation } from './settings-form';

export interface VaeTrainForm {
  readonly texts: FieldTexts;
  /** Conductor + bar decoder (MusicVAE's long models), or one flat decoder. */
  readonly hierarchical: boolean;
}

export const VAE_EXPLANATION =
  'A MusicVAE: a bidirectional LSTM encodes a melody segment of a few bars into a latent code; a conductor LSTM and a bar decoder play it back. Samples new segments, reconstructs a clip’s segment and interpolates between two clips.';

export const VAE_FIELDS: readonly NumberFieldSpec[] = [
  { key: 'bars', label: 'Bars', path: ['bars'], whole: true, group: 'Segment', hint: 'Per segment (MusicVAE: 2 or 16)' },
  { key: 'beatsPerBar', label: 'Beats per bar', path: ['beatsPerBar'], whole: true, group: 'Segment', hint: 'Quarters: 4 = 4/4; only such bars are used' },
  { key: 'resolution', label: 'Resolution', path: ['resolution'], whole: true, group: 'Segment', hint: 'Steps per quarter (4 = 16ths)' },
  { key: 'latentSize', label: 'Latent size', path: ['latentSize'], whole: true, group: 'Network', hint: 'Dimensions of z' },
  { key: 'encoderUnits', label: 'Encoder units', path: ['encoderUnits'], whole: true, group: 'Network', hint: 'Bidirectional LSTM, per direction' },
  { key: 'conductorUnits', label: 'Conductor units', path: ['conductorUnits'], whole: true, group: 'Network', hint: 'One embedding per bar' },
  { key: 'decoderUnits', label: 'Decoder units', path: ['decoderUnits'], whole: true, group: 'Network', hint: 'Bar-level LSTM' },
  { key: 'epochs', label: 'Epochs', path: ['maxIterations'], whole: true, group: 'Training', hint: 'At most' },
  { key: 'batchSize', label: 'Batch size', path: ['batchSize'], whole: true, group: 'Training', hint: 'Segments per batch' },
  { key: 'learningRate', label: 'Learning rate', path: ['learningRate'], whole: false, group: 'Training', example: '0.001', hint: 'Adam' },
  { key: 'patience', label: 'Patience', path: ['patience'], whole: true, group: 'Training', hint: 'Epochs without a better held-out bound (0: never stop early)' },
  { key: 'transpose', label: 'Transposition', path: ['transpose'], whole: true, group: 'Training', hint: '± semitones of augmentation (0: off)' },
  { key: 'maxBeta', label: 'KL: max β', path: ['maxBeta'], whole: false, group: 'KL and sampling', example: '0.5', hint: 'Weight of the KL term at the end of annealing' },
  { key: 'betaRate', label: 'β rate', path: ['betaRate'], whole: false, group: 'KL and sampling', example: '0.99999', hint: 'β = max β·(1 − rate^step)' },
  { key: 'freeBits', label: 'Free bits', path: ['freeBits'], whole: false, group: 'KL and sampling', example: '48', hint: 'KL up to this many bits costs nothing' },
  { key: 'samplingRate', label: 'Scheduled-sampling rate', path: ['samplingRate'], whole: false, group: 'KL and sampling', example: '1000', hint: '0 = off (teacher forcing only)' },
  { key: 'seed', label: 'Seed', path: ['seed'], whole: true, group: 'KL and sampling', hint: 'Same seed, same model' },
];

export function defaultVaeTrainForm(): VaeTrainForm {
  const defaults = VaeSettingsSchema.parse({});
  return { texts: textsFrom(VAE_FIELDS, defaults), hierarchical: defaults.hierarchical };
}

export function validateVaeTrainForm(form: VaeTrainForm, common: { readonly corpusId: number | null; readonly name: string }): SettingsValidation<'vae'> {
  return validateSettingsForm('vae', VAE_FIELDS, form.texts, { representation: 'melody', hierarchical: form.hierarchical }, common);
}

/** Grid steps in one segment: bars × beats × resolution (what one sample or one interpolation step lasts). */
export function segmentStepsOf(settings: Pick<VaeSettings, 'bars' | 'beatsPerBar' | 'resolution'>): number {
  return settings.bars * settings.beatsPerBar * settings.resolution;
}

/** "2 bars of 4/4 (32 steps of 16ths)". */
export function describeSegment(settings: Pick<VaeSettings, 'bars' | 'beatsPerBar' | 'resolution'>): string {
  return `${settings.bars} bar${settings.bars === 1 ? '' : 's'} of ${settings.beatsPerBar}/4 (${segmentStepsOf(settings)} steps)`;
}

/**
 * The name main gives when none is typed ("MusicVAE 2 bars · z 256"), as core/models/vae/studio.ts
 * writes it; repeated here so the dialog does not pull the VAE's training code into the renderer.
 */
export function vaePlaceholderName(settings: Pick<VaeSettings, 'hierarchical' | 'bars' | 'latentSize'>): string {
  return `MusicVAE${settings.hierarchical ? '' : ' (flat)'} ${settings.bars} bar${settings.bars === 1 ? '' : 's'} · z ${settings.latentSize}`;
}
