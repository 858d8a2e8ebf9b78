/**
 * The one error the polyphonic models throw for something they cannot do with what they were given
 * (a roll wider than the trained range, an empty selection, a bad setting). Messages are shown to the
 * composer as they are: each says what was wrong and, where it helps, what to do instead.
 */
export class PolyphonicError extends Error {
  override readonly name = 'PolyphonicError';
}
