import { readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '../..');

// Two copies of @nestjs/core in one process break dependency injection: every workspace package
// must resolve the same one.
describe('workspace', () => {
  it('holds exactly one copy of @nestjs/core, shared by the library, the app and the harness', () => {
    const copies = readdirSync(join(root, 'node_modules/.pnpm')).filter((d) => d.startsWith('@nestjs+core@'));
    expect(copies).toHaveLength(1);

    const resolved = ['packages/kafka-batch', 'apps/telemetry'].map((pkg) =>
      realpathSync(dirname(require.resolve('@nestjs/core/package.json', { paths: [join(root, pkg)] }))),
    );
    expect(new Set(resolved).size).toBe(1);
  });
});
