export { KafkaBatchHealthModule } from './kafka-batch-health.module';
export { KafkaBatchHealthIndicator } from './kafka-batch.health-indicator';
export type { ListenerSelection } from './kafka-batch.health-indicator';
export type { ListenerLiveness } from './listener.liveness';
export type { ListenerReadiness, ReadinessOptions } from './listener.readiness';
