export * from './infrastructure.module';
export * from './run-main';
