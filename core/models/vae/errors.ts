/**
 * The one error the VAE family throws for something it cannot do with what it was given (a bad
 * setting, a segment of the wrong length, a pitch outside the model's range, a corpus with no usable
 * segment). Messages are shown to the composer as they are: each says what was wrong and what to do.
 */
export class VaeError extends Error {
  override readonly name = 'VaeError';
}
