/** The RL tuner (a studio LSTM tuned by REINFORCE against a learned discriminator): see each module's notes. */
export * from './adam';
export * from './discriminator';
export * from './episodes';
export * from './errors';
export * from './jobs';
export * from './music-theory';
export * from './policy';
export * from './rewards';
export * from './saved-model';
export * from './settings';
export * from './start-model';
export * from './train';
export * from './windows';
