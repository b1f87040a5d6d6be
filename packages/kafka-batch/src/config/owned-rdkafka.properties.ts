import type { GroupProtocol, LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';

type OwnedProperty =
  /** Why the library sets it: what would break otherwise. */
  | { why: string; option?: undefined }
  /** The listener option it comes from, and what depends on it when that is worth saying. */
  | { option: string; why?: string };

const AT_LEAST_ONCE =
  'it commits an offset only once every record below it is done (at-least-once), and librdkafka would commit records not yet handled';

/**
 * librdkafka properties the consumer gets from the library. Set through `rdkafka`, they would
 * silently override it (a listener's `rdkafka` is applied last) or be silently ignored (the
 * module's). Names as in librdkafka's CONFIGURATION.md, aliases included.
 */
const OWNED: Readonly<Record<string, OwnedProperty>> = {
  'enable.auto.commit': { why: AT_LEAST_ONCE },
  // The legacy name librdkafka still accepts for enable.auto.commit.
  'auto.commit.enable': { why: AT_LEAST_ONCE },
  'enable.auto.offset.store': {
    why: 'it commits the offsets it tracks as done, and librdkafka would store the offset of every record it hands over',
  },
  offset_commit_cb: {
    why: 'it learns through it that the broker took a commit (revoke and shutdown wait for that answer)',
  },
  rebalance_cb: {
    why: 'it assigns partitions through it and commits what is done before giving them up (option "rebalanceListener" adds your hooks)',
  },
  'enable.partition.eof': { why: 'the poll loop takes every message it consumes for a record' },
  event_cb: { why: "fatal client errors and librdkafka's log reach the listener through it" },
  'group.id': { option: 'groupId' },
  'group.instance.id': { option: 'groupInstanceId' },
  'partition.assignment.strategy': { option: 'assignor' },
  'group.protocol': { option: 'groupProtocol', why: 'the other group options are checked against it' },
  'session.timeout.ms': { option: 'sessionTimeoutMs', why: 'checked against heartbeatIntervalMs' },
  'heartbeat.interval.ms': { option: 'heartbeatIntervalMs', why: 'checked against sessionTimeoutMs' },
  'max.poll.interval.ms': {
    option: 'maxPollIntervalMs',
    why: 'liveness and the backpressure hold are derived from it',
  },
  'fetch.min.bytes': { option: 'fetchMinBytes' },
  'fetch.wait.max.ms': { option: 'fetchMaxWaitMs' },
  'auto.offset.reset': { option: 'autoOffsetReset', why: "the lag monitor counts a new group's lag from it" },
  'auto.commit.interval.ms': {
    option: 'commitIntervalMs',
    why: 'the listener commits, not librdkafka, which would silently ignore it',
  },
};

/**
 * KIP-848 moves assignment and session timing to the broker: under groupProtocol 'consumer',
 * setting them (by option or by rdkafka property) is a mistake to report.
 */
export const BROKER_OWNED_UNDER_CONSUMER_PROTOCOL = [
  {
    option: 'assignor',
    property: 'partition.assignment.strategy',
    why: 'the broker assigns partitions (set group.remote.assignor through rdkafka to choose its assignor)',
  },
  {
    option: 'sessionTimeoutMs',
    property: 'session.timeout.ms',
    why: 'the broker sets it (group.consumer.session.timeout.ms)',
  },
  {
    option: 'heartbeatIntervalMs',
    property: 'heartbeat.interval.ms',
    why: 'the broker sets it (group.consumer.heartbeat.interval.ms)',
  },
] as const;

/** One problem per property of `rdkafka` that the library sets itself. */
export function ownedRdkafkaProblems(
  rdkafka: LibrdkafkaConfig | undefined,
  groupProtocol: GroupProtocol | undefined,
): string[] {
  return Object.keys(rdkafka ?? {}).flatMap((property) => {
    const brokerOwned =
      groupProtocol === 'consumer'
        ? BROKER_OWNED_UNDER_CONSUMER_PROTOCOL.find((setting) => setting.property === property)
        : undefined;
    if (brokerOwned)
      return [
        `rdkafka property "${property}" is not allowed with groupProtocol 'consumer': ${brokerOwned.why}`,
      ];
    const owned = OWNED[property];
    if (!owned) return [];
    if (owned.option === undefined)
      return [`rdkafka property "${property}" is set by the library: ${owned.why}`];
    const why = owned.why ? ` (${owned.why})` : '';
    return [
      `rdkafka property "${property}" is set by the library from option "${owned.option}"${why}: set that option instead`,
    ];
  });
}
