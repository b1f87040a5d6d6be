import { Logger } from '@nestjs/common';
import type { ListenerContainer } from './listener-container.interface';
import { KafkaListenerRegistry } from './listener-container.registry';

/** A container that only knows whether it is paused and how it was stopped: what the registry acts on. */
function container(id: string) {
  const calls: string[] = [];
  const fake = {
    options: { id },
    paused: false,
    calls,
    pause: () => {
      calls.push('pause');
      fake.paused = true;
    },
    resume: () => {
      calls.push('resume');
      fake.paused = false;
    },
    stop: async (options?: { leaveGroup?: boolean }) => {
      calls.push(options?.leaveGroup ? 'stop, leaving the group' : 'stop');
    },
  };
  return fake;
}

describe('KafkaListenerRegistry', () => {
  it('pauses and resumes a listener by id, once each however often it is asked', () => {
    const registry = new KafkaListenerRegistry();
    const readings = container('readings');
    registry.register(readings as unknown as ListenerContainer);

    registry.pause('readings');
    registry.pause('readings');
    expect(readings.paused).toBe(true);
    registry.resume('readings');
    registry.resume('readings');

    expect(readings.calls).toEqual(['pause', 'resume']);
    expect(readings.paused).toBe(false);
  });

  it('names the listeners it knows when asked for another', () => {
    const registry = new KafkaListenerRegistry();
    registry.register(container('readings') as unknown as ListenerContainer);

    expect(() => registry.pause('orders')).toThrow('no @BatchListener with id "orders" (known: readings)');
  });

  it('stops the listeners without leaving their groups unless told to; a decision is asked at shutdown, with the signal', async () => {
    const stopsOn = async (configure: (registry: KafkaListenerRegistry) => void, signal?: string) => {
      const registry = new KafkaListenerRegistry();
      const readings = container('readings');
      registry.register(readings as unknown as ListenerContainer);
      configure(registry);
      await registry.beforeApplicationShutdown(signal);
      return readings.calls;
    };
    const asked: (string | undefined)[] = [];
    const scaledDown = (signal?: string) => {
      asked.push(signal);
      return Promise.resolve(signal === 'SIGTERM');
    };
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    expect(await stopsOn(() => undefined)).toEqual(['stop']);
    expect(await stopsOn((r) => r.leaveGroupOnShutdown())).toEqual(['stop, leaving the group']);
    expect(await stopsOn((r) => r.leaveGroupOnShutdown(scaledDown), 'SIGTERM')).toEqual([
      'stop, leaving the group',
    ]);
    expect(await stopsOn((r) => r.leaveGroupOnShutdown(scaledDown), 'SIGINT')).toEqual(['stop']);
    expect(asked).toEqual(['SIGTERM', 'SIGINT']);
    // A decision that fails keeps the members: a restart that rebalances is worse than a slow scale-down.
    const failing = () => Promise.reject(new Error('the API server is unreachable'));
    expect(await stopsOn((r) => r.leaveGroupOnShutdown(failing), 'SIGTERM')).toEqual(['stop']);
    expect(errors).toHaveBeenCalledWith(
      'cannot tell whether to leave the groups, staying: the API server is unreachable',
    );
    jest.restoreAllMocks();
  });
});
