import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { firstColumnNames } from './markdown.parser';
import { optionNames } from './option-names.reader';

const packageRoot = join(__dirname, '../../..');
const interfaces = join(packageRoot, 'src/interfaces');
const LISTENER_OPTIONS = join(interfaces, 'batch-listener-options.interface.ts');
const MODULE_OPTIONS = join(interfaces, 'kafka-batch-module-options.interface.ts');

const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
const program = ts.createProgram([LISTENER_OPTIONS, MODULE_OPTIONS], {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
});
const sorted = (names: string[]) => [...names].sort();

// A new option without a row in the README, or a row for an option that is gone, fails here.
describe('the options tables of the README', () => {
  it('lists every option of BatchListenerOptions once, retry.* and deadLetter.* one by one', () => {
    const options = optionNames(program, LISTENER_OPTIONS, 'BatchListenerOptions');
    expect(options).toEqual(expect.arrayContaining(['maxPollRecords', 'retry.attempts', 'deadLetter.topic']));
    expect(sorted(firstColumnNames(readme, '## Listener options'))).toEqual(sorted(options));
  });

  it('lists every option of KafkaBatchModuleOptions once, lag.* one by one', () => {
    const options = optionNames(program, MODULE_OPTIONS, 'KafkaBatchModuleOptions');
    expect(options).toEqual(expect.arrayContaining(['brokers', 'defaults', 'lag.intervalMs']));
    expect(sorted(firstColumnNames(readme, '## Module options'))).toEqual(sorted(options));
  });
});
