export * from './consumer-health';
export * from './inbound-batch';
export * from './kafka-batch.server';
export * from './kafka-client';
export * from './kafka-publisher';
export * from './topic-admin';
export * from './messaging.module';
export * from './submission-publisher';
