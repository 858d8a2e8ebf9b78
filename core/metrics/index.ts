/**
 * Metrics of the comparison view: MusPy's metrics of pieces and sets (muspy.ts), Yang & Lerch's features
 * (yang-lerch.ts) and their absolute and relative measurement of two sets (compare.ts, kde.ts), with the
 * zod schemas of the JSON results (schema.ts). Pure TypeScript: runs in a worker, the main process or
 * the renderer alike.
 */
export * from './compare';
export * from './kde';
export * from './muspy';
export * from './schema';
export * from './summary';
export * from './yang-lerch';
