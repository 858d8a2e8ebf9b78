/** The four MusPy representations: music → representation → music. See each module for its choices. */
export * from './common';
export * from './event';
export * from './note';
export * from './pianoroll';
export * from './pitch';
