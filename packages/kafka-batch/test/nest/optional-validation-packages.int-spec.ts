import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { captureChildOutput } from '@org/testing';

interface Outcome {
  packagesMissing: boolean;
  importFailures: string[];
  withoutValidate: string;
  withValidate: string;
}

/** Runs the fixture on the built package in a process where both packages cannot be resolved. */
function runWithoutValidationPackages(): Promise<Outcome> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      join(__dirname, 'fixtures/without-validation-packages.preload.ts'),
      join(__dirname, 'fixtures/validation-packages.app.ts'),
    ],
    {
      env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../../../../tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  captureChildOutput(child, 'validation-packages.app');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as Outcome)
        : reject(new Error(`fixture exited with ${code}: ${stdout}`)),
    );
  });
}

describe('class-validator and class-transformer are optional', () => {
  it('are needed only by a listener with `validate`, which fails the start naming them', async () => {
    const outcome = await runWithoutValidationPackages();
    expect(outcome).toEqual({
      packagesMissing: true,
      importFailures: [],
      withoutValidate: 'initialised',
      withValidate: expect.stringContaining(
        '@BatchListener "readings": option "validate" needs the packages class-validator and class-transformer',
      ),
    });
    expect(outcome.withValidate).toContain('npm install class-validator class-transformer');
  });
});
