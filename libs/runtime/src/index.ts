export * from './infrastructure.module';
export * from './run-main';
export * from './reading-policy.env';
export * from './start-consumers';
export * from './transient-failure';
export * from './outcome-relay';
export * from './reading-rules';
export * from './meter-revalidation';
