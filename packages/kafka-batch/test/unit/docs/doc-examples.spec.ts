import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import { fencedBlocks } from './markdown.parser';

const repositoryRoot = join(__dirname, '../../../../..');
const EXAMPLES = join(repositoryRoot, 'packages/kafka-batch/examples');
const DOCUMENTS = [
  'README.md',
  'packages/kafka-batch/README.md',
  'packages/kafka-batch/docs/persistence.md',
  'apps/telemetry/README.md',
  'docs/RELIABILITY.md',
  'docs/KUBERNETES.md',
  'docs/MIGRATING.md',
];

const read = (path: string) => readFileSync(path, 'utf8');
const typescriptBlocks = DOCUMENTS.flatMap((document) =>
  fencedBlocks(read(join(repositoryRoot, document)))
    .filter(({ lang }) => lang === 'ts' || lang === 'typescript')
    .map((block) => ({ document, ...block })),
);

// Each TypeScript block of the docs is a whole file of packages/kafka-batch/examples, which
// `pnpm typecheck` compiles against the built library: a block cannot drift from code that compiles.
describe('TypeScript in the docs', () => {
  it.each(typescriptBlocks)(
    '$document:$line is its example file, verbatim',
    ({ document, line, text, example }) => {
      if (example === undefined)
        throw new Error(
          `${document}:${line}: a TypeScript block needs an <!-- example: path --> line above it, naming ` +
            'its file in packages/kafka-batch/examples (relative to the document)',
        );
      expect(text).toBe(read(join(dirname(join(repositoryRoot, document)), example)).trimEnd());
    },
  );

  it('are compiled by `pnpm typecheck`: tsconfig.json includes every example file', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(repositoryRoot, 'tsconfig.json'), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    });
    const examples = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(EXAMPLES, file));
    expect(examples.length).toBeGreaterThan(0);
    expect(config?.fileNames.map((file) => relative(repositoryRoot, file))).toEqual(
      expect.arrayContaining(examples.map((file) => relative(repositoryRoot, file))),
    );
  });
});
