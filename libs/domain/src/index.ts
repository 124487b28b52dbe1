export * from './decimal';
export * from './moscow-time';
export * from './plausibility';
export * from './reading-decision';
export * from './register';
export * from './submission-window';
export * from './verification';
export * from './registry-row';
