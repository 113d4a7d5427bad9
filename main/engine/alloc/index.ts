/** Memory allocation across VMs (DESIGN.md §2 Allocation). */
export * from './curve.js';
export * from './constraints.js';
export * from './dp.js';
export * from './esx-allocator.js';
export * from './resimulate.js';
export * from './adaptive.js';
export * from './online/online.js';
export * from './limits.js';
