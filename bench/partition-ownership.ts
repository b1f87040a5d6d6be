// Who owned which partition when, read from the rebalance events the consumer processes print
// (every process runs on this machine, so their clocks agree). Pure functions: unit-tested.

/** One rebalance event of one consumer process; `at` in ms since the epoch. */
export interface OwnershipEvent {
  kind: 'assigned' | 'revoked' | 'lost';
  partitions: number[];
  at: number;
}

function inOrder(events: OwnershipEvent[]): OwnershipEvent[] {
  return [...events].sort((a, b) => a.at - b.at);
}

/** Total milliseconds, summed over partitions, between a partition's release and its next assignment. */
export function unownedMs(events: OwnershipEvent[], from: number): number {
  const releasedAt = new Map<number, number>();
  let total = 0;
  for (const e of inOrder(events)) {
    if (e.at < from) continue;
    for (const p of e.partitions) {
      if (e.kind === 'assigned') {
        const since = releasedAt.get(p);
        if (since !== undefined) total += e.at - since;
        releasedAt.delete(p);
      } else releasedAt.set(p, e.at);
    }
  }
  return total;
}

/**
 * Since when every one of the topic's `partitions` has had an owner without a break, up to the
 * last event; undefined when some partition has none after it. A partition's owner is whoever it
 * was last assigned to, until that one releases it.
 */
export function allOwnedSince(events: OwnershipEvent[], partitions: number): number | undefined {
  const owned = new Set<number>();
  let since: number | undefined;
  for (const e of inOrder(events)) {
    for (const p of e.partitions) {
      if (e.kind === 'assigned') owned.add(p);
      else owned.delete(p);
    }
    if (owned.size < partitions) since = undefined;
    else since ??= e.at;
  }
  return since;
}
