/** The MusicVAE-style hierarchical recurrent VAE family: see the notes at the top of each module. */
export * from './batches';
export * from './config';
export * from './errors';
export * from './jobs';
export * from './latent';
export * from './model';
export * from './net';
export * from './schedules';
export * from './segments';
export * from './serialize';
export * from './tokens';
export * from './train';
export * from './uses';
