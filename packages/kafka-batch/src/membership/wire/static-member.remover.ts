import { Clock, systemClock } from '../../common/clock';
import type { BrokerAddress } from './broker.connection';
import { WireWriter } from './kafka-wire.codec';
import type { WireRequester } from './sasl.authenticator';

/** An open, authenticated connection to one broker. */
export interface WireConnection extends WireRequester {
  close(): void;
}

const FIND_COORDINATOR = { apiKey: 10, version: 1 };
/** v3 (KIP-345) names members by group.instance.id, as the Java admin's removeMembersFromConsumerGroup. */
const LEAVE_GROUP = { apiKey: 13, version: 3 };

const ERRORS = {
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  UNKNOWN_MEMBER_ID: 25,
  GROUP_AUTHORIZATION_FAILED: 30,
  GROUP_ID_NOT_FOUND: 69,
} as const;
const COORDINATOR_MOVING: ReadonlySet<number> = new Set([
  ERRORS.COORDINATOR_LOAD_IN_PROGRESS,
  ERRORS.COORDINATOR_NOT_AVAILABLE,
  ERRORS.NOT_COORDINATOR,
]);
const ATTEMPTS = 5;
const PAUSE_BETWEEN_ATTEMPTS_MS = 200;

export type RemovalResult = 'removed' | 'not a member';

/** Removes a static member from its group, as a member leaving for good: its partitions move at once. */
export interface StaticMemberRemover {
  remove(groupId: string, groupInstanceId: string): Promise<RemovalResult>;
}

class CoordinatorMoving extends Error {}

/**
 * librdkafka sends no LeaveGroup for a static member (KIP-345: a restart must not rebalance) and
 * has no call to remove one, so the library asks the group coordinator itself: FindCoordinator,
 * then LeaveGroup v3 naming the member by its group.instance.id.
 */
export class WireStaticMemberRemover implements StaticMemberRemover {
  constructor(
    private readonly bootstrap: readonly BrokerAddress[],
    private readonly open: (address: BrokerAddress) => Promise<WireConnection>,
    private readonly clock: Clock = systemClock,
  ) {}

  async remove(groupId: string, groupInstanceId: string): Promise<RemovalResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const coordinator = await this.findCoordinator(groupId);
        return await this.leave(coordinator, groupId, groupInstanceId);
      } catch (err) {
        if (!(err instanceof CoordinatorMoving) || attempt === ATTEMPTS) throw err;
        await this.clock.sleep(PAUSE_BETWEEN_ATTEMPTS_MS);
      }
    }
  }

  private async findCoordinator(groupId: string): Promise<BrokerAddress> {
    return this.withConnection(await this.openAny(), async (connection) => {
      const answer = await connection.request(
        FIND_COORDINATOR.apiKey,
        FIND_COORDINATOR.version,
        new WireWriter().string(groupId).int8(0),
      );
      answer.int32(); // throttle time
      const error = answer.int16();
      const message = answer.string();
      answer.int32(); // node id
      const host = answer.string() ?? '';
      const port = answer.int32();
      if (error !== 0) throw groupError(error, `finding the coordinator of group ${groupId}`, message);
      return { host, port };
    });
  }

  private async leave(
    coordinator: BrokerAddress,
    groupId: string,
    groupInstanceId: string,
  ): Promise<RemovalResult> {
    return this.withConnection(await this.open(coordinator), async (connection) => {
      const answer = await connection.request(
        LEAVE_GROUP.apiKey,
        LEAVE_GROUP.version,
        new WireWriter()
          .string(groupId)
          .array([groupInstanceId], (writer, id) => writer.string('').string(id)),
      );
      answer.int32(); // throttle time
      const error = answer.int16();
      const [member] = answer.array((r) => ({
        memberId: r.string(),
        instanceId: r.string(),
        error: r.int16(),
      }));
      if (error === ERRORS.GROUP_ID_NOT_FOUND) return 'not a member';
      if (error !== 0) throw groupError(error, `removing member ${groupInstanceId} from group ${groupId}`);
      if (member?.error === ERRORS.UNKNOWN_MEMBER_ID) return 'not a member';
      if (member && member.error !== 0)
        throw groupError(member.error, `removing member ${groupInstanceId} from group ${groupId}`);
      return 'removed';
    });
  }

  private async openAny(): Promise<WireConnection> {
    const failures: string[] = [];
    for (const address of this.bootstrap) {
      try {
        return await this.open(address);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    throw new Error(`no bootstrap broker answered: ${failures.join('; ')}`);
  }

  private async withConnection<T>(
    connection: WireConnection,
    use: (connection: WireConnection) => Promise<T>,
  ): Promise<T> {
    try {
      return await use(connection);
    } finally {
      connection.close();
    }
  }
}

function groupError(code: number, doing: string, message?: string | null): Error {
  if (COORDINATOR_MOVING.has(code))
    return new CoordinatorMoving(`${doing}: the coordinator is moving (error ${code})`);
  const why =
    code === ERRORS.GROUP_AUTHORIZATION_FAILED
      ? 'not authorized for the group'
      : (message ?? `error ${code}`);
  return new Error(`${doing}: ${why}`);
}
