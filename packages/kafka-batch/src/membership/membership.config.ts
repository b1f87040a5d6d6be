import type {
  LibrdkafkaConfig,
  ResolvedListenerOptions,
} from '../interfaces/batch-listener-options.interface';

/** librdkafka group settings for a listener: protocol, assignor, static id and timing. */
export function membershipConfig(o: ResolvedListenerOptions): LibrdkafkaConfig {
  const config: LibrdkafkaConfig = { 'max.poll.interval.ms': o.maxPollIntervalMs };
  if (o.groupInstanceId) config['group.instance.id'] = o.groupInstanceId;
  if (o.groupProtocol === 'consumer') {
    // KIP-848: the broker assigns and owns session and heartbeat timing.
    config['group.protocol'] = 'consumer';
    return config;
  }
  config['partition.assignment.strategy'] = o.assignor;
  config['session.timeout.ms'] = o.sessionTimeoutMs;
  config['heartbeat.interval.ms'] = o.heartbeatIntervalMs;
  return config;
}
