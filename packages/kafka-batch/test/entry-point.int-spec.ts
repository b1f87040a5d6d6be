import { execFileSync } from 'node:child_process';

/** The packages a fresh Node process has loaded after requiring `entry` (the built package). */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    require(${JSON.stringify(entry)});
    const names = Object.keys(require.cache).map((file) => {
      const parts = file.split('/node_modules/').at(-1).split('/');
      return file.includes('/node_modules/') ? (parts[0].startsWith('@') ? parts[0] + '/' + parts[1] : parts[0]) : file;
    });
    console.log(JSON.stringify([...new Set(names)]));`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }),
  ) as string[];
}

const OPTIONAL_PEERS = [
  'typeorm',
  '@nestjs/typeorm',
  'pg',
  'pg-copy-streams',
  'class-validator',
  'class-transformer',
  '@nestjs/terminus',
  'prom-client',
  'kafkajs',
  '@opentelemetry/api',
];

describe('the package entry points load their optional peers only when used', () => {
  it('@org/kafka-batch loads none of them, nor the microservices transport', () => {
    const loaded = packagesLoadedBy('@org/kafka-batch');
    expect(loaded).toContain('@confluentinc/kafka-javascript');
    expect(loaded.filter((name) => OPTIONAL_PEERS.includes(name))).toEqual([]);
    expect(loaded.filter((name) => name.includes('/dist/microservices/'))).toEqual([]);
  });

  it('@org/kafka-batch/microservices loads @nestjs/microservices and no KafkaJS', () => {
    const loaded = packagesLoadedBy('@org/kafka-batch/microservices');
    expect(loaded).toContain('@nestjs/microservices');
    expect(loaded.filter((name) => name.includes('/dist/microservices/')).length).toBeGreaterThan(0);
    expect(loaded.filter((name) => OPTIONAL_PEERS.includes(name))).toEqual([]);
  });
});
