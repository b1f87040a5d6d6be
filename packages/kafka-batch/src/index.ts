export * from './container/partition-offset.tracker';
