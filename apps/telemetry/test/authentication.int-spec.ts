import {
  createTestDatabase,
  freePort,
  scramClientConfig,
  ScramUser,
  TestDatabase,
  uniqueName,
  useDedicatedBroker,
} from '@org/testing';
import { Client } from 'pg';
import { ensureTopic } from '../src/kafka/readings-topic';
import { ReadingsProducer } from '../src/simulator/readings.producer';
import { runSimulation } from '../src/simulator/simulation.runner';
import { killLeftoverTelemetry, startTelemetry } from './telemetry-app.process';

const telemetry: ScramUser = { mechanism: 'SCRAM-SHA-256', name: 'telemetry', password: 't3lemetry-secret' };
const WRONG_PASSWORD = 'not-the-password';
const REFUSED =
  "authentication failed: SASL SCRAM-SHA-256 as user 'telemetry' (SASL authentication error: " +
  'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256)';

// Issue #17: with a wrong SASL password the app said "Kafka at … is not reachable". The broker of
// its own has a SASL_PLAINTEXT listener with SCRAM users; the shared broker has none.
describe('the telemetry app on a broker that requires SASL/SCRAM (real broker)', () => {
  const own = useDedicatedBroker({ sasl: { users: [telemetry] } });
  const saslBootstrap = () => own.broker.sasl!.bootstrap;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('telemetry_sasl');
  });
  afterAll(() => database?.drop());
  afterEach(killLeftoverTelemetry);

  const serviceEnv = (user: ScramUser) => ({
    DATABASE_URL: database.url,
    KAFKA_BOOTSTRAP: saslBootstrap(),
    KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
    KAFKA_SASL_MECHANISM: user.mechanism,
    KAFKA_SASL_USERNAME: user.name,
    KAFKA_SASL_PASSWORD: user.password,
  });

  it('refuses to start with a wrong password, saying whose login failed and never the password', async () => {
    const app = startTelemetry({
      ...serviceEnv({ ...telemetry, password: WRONG_PASSWORD }),
      TELEMETRY_TOPIC: uniqueName('telemetry_sasl'),
    });
    expect((await app.exited).code).toBe(1);
    expect(app.output()).toContain(`Kafka at ${saslBootstrap()}: ${REFUSED}`);
    expect(app.output()).not.toContain('not reachable');
    expect(app.output()).not.toContain(WRONG_PASSWORD);
  });

  it("the simulator's producer says the same when the broker refuses its login", async () => {
    const producer = new ReadingsProducer({
      bootstrap: saslBootstrap(),
      topic: uniqueName('telemetry_sasl'),
      rdkafka: scramClientConfig({ ...telemetry, password: WRONG_PASSWORD }),
    });
    const refused = producer.connect();
    await expect(refused).rejects.toThrow(`Kafka at ${saslBootstrap()}: ${REFUSED}`);
    await expect(refused).rejects.not.toThrow(WRONG_PASSWORD);
  });

  it('still says "not reachable" when nothing answers at the address', async () => {
    const nobody = `localhost:${await freePort()}`;
    const rdkafka = scramClientConfig(telemetry);
    await Promise.all([
      expect(ensureTopic({ bootstrap: nobody, topic: 't', partitions: 1, rdkafka })).rejects.toThrow(
        `Kafka at ${nobody} is not reachable: Local: Broker transport failure`,
      ),
      expect(new ReadingsProducer({ bootstrap: nobody, topic: 't', rdkafka }).connect()).rejects.toThrow(
        `Kafka at ${nobody} is not reachable: broker transport failure`,
      ),
    ]);
  });

  it('with the right password, the simulator produces and the service stores every reading', async () => {
    const topic = uniqueName('telemetry_sasl');
    const app = startTelemetry({ ...serviceEnv(telemetry), TELEMETRY_TOPIC: topic });
    await app.listening();
    expect(app.output()).toContain(`created topic ${topic}`);

    const summary = await runSimulation({
      bootstrap: saslBootstrap(),
      rdkafka: scramClientConfig(telemetry),
      topic,
      partitions: 1,
      devices: 50,
      mode: 'backlog',
      rate: 1_000,
      durationSeconds: undefined,
      count: 50,
      invalidRatio: 0,
      duplicateRatio: 0,
      burstFactor: 1,
      burstSeconds: 1,
      burstEverySeconds: 1,
      seed: 17,
      traceRatio: 0,
      progress: 'off',
      json: false,
    });
    expect(summary).toMatchObject({ sent: 50, delivered: 50, errors: 0 });

    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const stored = async () =>
        Number((await db.query('SELECT count(*) FROM telemetry_readings')).rows[0].count);
      for (const deadline = Date.now() + 30_000; (await stored()) < 50 && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await stored()).toBe(50);
    } finally {
      await db.end();
    }
    app.child.kill('SIGTERM');
    await app.exited;
    expect(app.output()).not.toMatch(/ERROR/);
  });
});
