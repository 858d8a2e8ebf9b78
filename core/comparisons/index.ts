/** Comparing trained models on one corpus: the job's messages, its work, and its results' exports. */
export * from './csv';
export * from './files';
export * from './jobs';
export * from './likelihood';
export * from './polyphonic';
export * from './preferences';
export * from './results';
export * from './run';
export * from './vae';
