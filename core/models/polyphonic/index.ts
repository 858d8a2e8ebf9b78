/** The polyphonic model family (RNN-NADE and its independent-Bernoulli baseline): see README-style notes in each module. */
export * from './batches';
export * from './clips';
export * from './config';
export * from './corpus';
export * from './errors';
export * from './frames';
export * from './inference';
export * from './jobs';
export * from './model';
export * from './nade';
export * from './random';
export * from './serialize';
export * from './studio';
export * from './train';
export * from './uses';
