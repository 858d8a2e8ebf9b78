/** The glue between the studio and its neural models (LSTM, transformer): settings, data, training, checkpoints, generation. */
export * from './baseline';
export * from './checkpoint';
export * from './generate';
export * from './jobs';
export * from './saved-model';
export * from './likelihood';
export * from './sequences';
export * from './settings';
export * from './tasks';
export * from './trainer';
