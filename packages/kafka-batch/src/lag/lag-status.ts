/**
 * Burrow's consumer statuses, from healthy to worst: OK; WARN (lag never reached zero and never
 * shrank); STALL (offset not moving while lag stays, yet the consumer is alive); STOP (nobody is
 * consuming: the poll loop is not running); REWIND (the committed offset went backwards).
 */
export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';

const SEVERITY: Record<LagStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3, REWIND: 4 };

/** The group takes the worst status of its partitions. */
export function worstStatus(statuses: Iterable<LagStatus>): LagStatus {
  let worst: LagStatus = 'OK';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[worst]) worst = status;
  return worst;
}
