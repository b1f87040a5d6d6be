import type { ListenerContainer } from './listener-container.interface';
import { KafkaListenerRegistry } from './listener-container.registry';

/** A container that only knows whether it is paused: what the registry's pause and resume act on. */
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
});
