export * from './build-submission';
export * from './codes';
export * from './outcome.message';
export * from './submission-id';
export * from './submission.message';
export * from './topics';
