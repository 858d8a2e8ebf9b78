/** The glue between the studio's music and its HMMs: sequences, training steps, sampling, decoding. */
export * from './sequences';
export * from './decode';
export * from './generate';
export * from './saved-model';
export * from './train';
export * from './jobs';
export * from './naming';
