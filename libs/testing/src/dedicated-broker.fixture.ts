import { DedicatedBroker, DedicatedBrokerOptions } from './dedicated-broker';
import { KafkaAdmin } from './kafka-admin';

export interface DedicatedBrokerFixture {
  broker: DedicatedBroker;
  admin: KafkaAdmin;
}

/**
 * A broker of its own and an admin on it for the enclosing describe block: started before its
 * tests, destroyed after them. The fields are set once the block's beforeAll has run.
 */
export function useDedicatedBroker(options?: DedicatedBrokerOptions): DedicatedBrokerFixture {
  const fixture = {} as DedicatedBrokerFixture;
  beforeAll(async () => {
    fixture.broker = await DedicatedBroker.start(options);
    fixture.admin = new KafkaAdmin(fixture.broker.bootstrap);
  }, 120_000);
  afterAll(async () => {
    fixture.admin?.close();
    await fixture.broker?.destroy();
  }, 60_000);
  return fixture;
}
