export * from './build-submission';
export * from './codes';
export * from './kiosk-signature';
export * from './outcome.message';
export * from './partner-reading.message';
export * from './submission-id';
export * from './submission.message';
export * from './topics';
