export * from './contract.js';
export * from './entities.js';
export * from './errors.js';
export * from './trace-options.js';
export * from './alloc.js';
export * from './crash.js';
export * from './analyses.js';
export * from './jobs.js';
