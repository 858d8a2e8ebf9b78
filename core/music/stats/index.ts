export * from './describe';
export * from './schema';
