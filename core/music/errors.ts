/**
 * The one error a representation, a statistic or a split throws when it is asked something it cannot
 * answer (an empty piece, a pitch outside 0..127, a resolution of zero...). Callers show `message` to
 * the user as it is, so every message says what was wrong and, where it helps, what to do instead.
 */
export class RepresentationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepresentationError';
  }
}
