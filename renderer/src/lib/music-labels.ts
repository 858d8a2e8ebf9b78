/** Names for pitches and note values as a musician reads them. MIDI 60 is C4 (scientific pitch notation). */
export const PITCH_CLASS_NAMES: readonly string[] = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** "C4" for 60, "C-1" for 0, "G9" for 127. */
export function pitchName(pitch: number): string {
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 127) throw new RangeError(`A MIDI pitch is a whole number from 0 to 127 (got ${pitch}).`);
  return `${PITCH_CLASS_NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

/**
 * A length in quarter notes as a note value: 1 → "1/4", 0.25 → "1/16", 4 → "1" (a whole note),
 * 8 → "2" (two wholes), 1.5 → "3/8". Lengths that are no simple fraction of a whole keep three decimals.
 */
export function noteValueLabel(quarters: number): string {
  if (!Number.isFinite(quarters) || quarters < 0) throw new RangeError(`A note length is a number of quarters ≥ 0 (got ${quarters}).`);
  if (quarters === 0) return '0';
  const wholes = quarters / 4;
  for (let denominator = 1; denominator <= 256; denominator *= 2) {
    const numerator = wholes * denominator;
    if (Math.abs(numerator - Math.round(numerator)) < 1e-9) {
      return denominator === 1 ? `${Math.round(numerator)}` : `${Math.round(numerator)}/${denominator}`;
    }
  }
  return `${Number(wholes.toFixed(3))}`;
}
