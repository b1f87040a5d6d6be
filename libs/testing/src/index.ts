export * from './callback';
export * from './env';
export * from './kafka-admin';
export * from './names';
export * from './produce';
export * from './read-topic';
export * from './test-database';
export * from './wait-for-lag-zero';
