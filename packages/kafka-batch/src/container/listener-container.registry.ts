import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaBatchConfigError } from '../config/listener-options.resolver';
import type { ListenerContainer } from './listener-container.interface';
import type { SeekTarget } from './partition.state';

/** Whether the static members leave their groups as the application shuts down, asked then. */
export type LeaveGroupDecision = boolean | ((signal?: string) => boolean | Promise<boolean>);

/**
 * Owns every listener container: starts them when the application bootstraps, stops them before
 * it shuts down, and lets services find one by id (to seek, pause, resume, stop or start it).
 */
@Injectable()
export class KafkaListenerRegistry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(KafkaListenerRegistry.name);
  private readonly containers = new Map<string, ListenerContainer>();
  private readonly registered = new Set<(container: ListenerContainer) => void>();
  private leaveGroup: LeaveGroupDecision = false;

  register(container: ListenerContainer): void {
    const { id } = container.options;
    if (this.containers.has(id)) {
      throw new KafkaBatchConfigError(
        `@BatchListener "${id}": another listener has the same id; set a unique "id" option`,
      );
    }
    this.containers.set(id, container);
    for (const notify of this.registered) notify(container);
  }

  /** Calls `notify` with each container registered from now on; returns the unsubscribe function. */
  onRegister(notify: (container: ListenerContainer) => void): () => void {
    this.registered.add(notify);
    return () => this.registered.delete(notify);
  }

  get(id: string): ListenerContainer {
    const container = this.containers.get(id);
    if (!container)
      throw new Error(
        `no @BatchListener with id "${id}" (known: ${[...this.containers.keys()].join(', ') || 'none'})`,
      );
    return container;
  }

  all(): ListenerContainer[] {
    return [...this.containers.values()];
  }

  /** Repositions one partition of a listener: an offset, 'beginning', 'end' or `{ timestamp }`. */
  seek(id: string, topic: string, partition: number, target: SeekTarget): void {
    this.get(id).seek(topic, partition, target);
  }

  /**
   * Stops a listener fetching and starting batches on every partition, those assigned later
   * included, while it stays in its group: running batches finish and commit, nothing rebalances.
   * For a dependency under maintenance (the database, say); resume(id) goes on where it stopped.
   */
  pause(id: string): void {
    const container = this.get(id);
    if (container.paused) return;
    container.pause();
    this.logger.log(`${id}: paused on request; it keeps its partitions, running batches finish`);
  }

  resume(id: string): void {
    const container = this.get(id);
    if (!container.paused) return;
    container.resume();
    this.logger.log(`${id}: resumed on request`);
  }

  /**
   * Static members leave their groups when the application shuts down (and `decide`, called then,
   * says so), and their partitions move at once: for an instance that is not coming back, such as
   * the pod a scale-down deletes. A restart must not leave, or it rebalances twice.
   */
  leaveGroupOnShutdown(decide: LeaveGroupDecision = true): void {
    this.leaveGroup = decide;
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(
      this.all()
        .filter((c) => c.options.autoStartup)
        .map((c) => c.start()),
    );
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.containers.size === 0) return;
    const leaveGroup = await this.leavingGroup(signal);
    this.logger.log(
      `stopping ${this.containers.size} listener(s)${signal ? ` on ${signal}` : ''}${leaveGroup ? ', leaving their groups for good' : ''}`,
    );
    await Promise.all(this.all().map((c) => c.stop({ leaveGroup })));
  }

  private async leavingGroup(signal?: string): Promise<boolean> {
    if (typeof this.leaveGroup === 'boolean') return this.leaveGroup;
    try {
      return await this.leaveGroup(signal);
    } catch (err) {
      this.logger.error(`cannot tell whether to leave the groups, staying: ${(err as Error).message}`);
      return false;
    }
  }
}
