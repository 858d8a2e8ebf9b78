/**
 * The one error the RL tuner throws for what it cannot do with what it was given (bad settings, a
 * start model that is not an LSTM, a corpus without notes, a checkpoint of another run). Messages
 * are shown to the composer as they are: each says what was wrong and what to do instead.
 */
export class RlError extends Error {
  override readonly name = 'RlError';
}
