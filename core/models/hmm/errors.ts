/**
 * Errors of the HMM code. `HmmSettingsError` is thrown by validation, before any training work
 * starts, so a job can report it to the composer as "fix these settings" rather than as a crash.
 */
export class HmmSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HmmSettingsError';
  }
}

/** Training reached a state it cannot continue from (e.g. a sequence with probability 0). */
export class HmmTrainingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HmmTrainingError';
  }
}
