/** Crash recovery of delayed writes (DESIGN.md §2 Crash model): simulate once, evaluate N crashes. */
export * from './evaluate.js';
export * from './hv-log.js';
export * from './timeline.js';
