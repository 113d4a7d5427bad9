/** Runtime schemas of experiment files and workloads, shared by main and renderer. */
export * from './defaults.js';
export * from './fields.js';
export * from './format.js';
export * from './workload.js';
export * from './trace.js';
export * from './vm.js';
export * from './experiment.js';
export * from './parse.js';
