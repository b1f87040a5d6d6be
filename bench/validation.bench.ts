// The library's compiled validation against class-transformer + class-validator, per reading, on the
// telemetry app's own ReadingDto and readings from its simulator, in one process: each figure is CPU
// time per reading, and the ratios are against the references measured in the same run.
//
//   pnpm bench:validate                              # 200,000 readings, 5 rounds
//   READINGS=50000 ROUNDS=3 pnpm bench:validate
//
// Report: bench/results/<date>/validation.md (BENCH_RESULTS_DIR overrides the folder).
import 'reflect-metadata';
import { RecordValidator } from '@org/kafka-batch';
import { integerVar } from '@org/telemetry/config/env.parsers';
import { ReadingDto } from '@org/telemetry/readings/reading.dto';
import { ReadingGenerator } from '@org/telemetry/simulator/reading.generator';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { median } from './app-drain/app-drain.summary';
import { machineDescription, writeReport } from './report';

interface Variant {
  name: string;
  what: string;
  /** Whether the reading is valid; the instance is built and checked as the variant does it. */
  judge(text: string): boolean;
}

const compiled = new RecordValidator(ReadingDto);

const VARIANTS: Variant[] = [
  {
    name: 'JSON.parse',
    what: 'the reference: parsing alone, which every variant does first',
    judge: (text) => JSON.parse(text) !== null,
  },
  {
    name: 'class-validator',
    what: '`plainToInstance` then `validateSync`, as a synchronous ValidationPipe does',
    judge: (text) => validateSync(plainToInstance(ReadingDto, JSON.parse(text) as object)).length === 0,
  },
  {
    name: '@org/kafka-batch',
    what: "the listener's `validate: ReadingDto`: `RecordValidator.validateSync`, compiled",
    judge: (text) => {
      try {
        compiled.validateSync(JSON.parse(text));
        return true;
      } catch {
        return false;
      }
    },
  },
];

function cpuMicroseconds(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU µs per reading of one pass over every reading; the count of valid ones, to compare verdicts. */
function pass(variant: Variant, texts: readonly string[]): { perReading: number; valid: number } {
  let valid = 0;
  const started = cpuMicroseconds();
  for (const text of texts) if (variant.judge(text)) valid++;
  return { perReading: (cpuMicroseconds() - started) / texts.length, valid };
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function main(): void {
  const readings = integerVar(process.env, 'READINGS', 200_000, 1_000, 10_000_000);
  const rounds = integerVar(process.env, 'ROUNDS', 5, 1, 100);
  const invalidPercent = integerVar(process.env, 'INVALID_PERCENT', 0, 0, 100);
  if (!compiled.compiled)
    throw new Error('ReadingDto is not compiled: the benchmark would measure class-validator twice');
  const generator = new ReadingGenerator({ devices: 500_000, invalidRatio: invalidPercent / 100 });
  // Values that are not JSON at all (the simulator's truncated ones) never reach a validator.
  const texts: string[] = [];
  while (texts.length < readings) {
    const { value } = generator.next();
    if (parses(value)) texts.push(value);
  }

  // Warm-up: every variant's code optimised before anything is measured.
  for (const variant of VARIANTS) pass(variant, texts.slice(0, 20_000));
  const perReading = new Map(VARIANTS.map((v) => [v.name, [] as number[]]));
  const valid = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    // The order turns from round to round, so no variant always runs right after the same other.
    for (let i = 0; i < VARIANTS.length; i++) {
      const variant = VARIANTS[(i + round) % VARIANTS.length];
      const measured = pass(variant, texts);
      perReading.get(variant.name)!.push(measured.perReading);
      valid.set(variant.name, measured.valid);
    }
  }
  const [parse, naive, library] = VARIANTS.map((v) => median(perReading.get(v.name)!));
  if (valid.get('class-validator') !== valid.get('@org/kafka-batch'))
    throw new Error(`different verdicts: ${JSON.stringify(Object.fromEntries(valid))}`);

  const rows = VARIANTS.map((variant) => {
    const runs = perReading.get(variant.name)!;
    return `| ${variant.name} | ${variant.what} | ${median(runs).toFixed(3)} | ${Math.min(...runs).toFixed(3)}–${Math.max(...runs).toFixed(3)} |`;
  });
  writeReport(
    'validation.md',
    [
      `# Validation per reading — ${new Date().toISOString()}`,
      '',
      `Command: \`READINGS=${readings} ROUNDS=${rounds} INVALID_PERCENT=${invalidPercent} pnpm bench:validate\``,
      '',
      `Machine: ${machineDescription()}. ${readings.toLocaleString('en')} readings of the telemetry simulator ` +
        `(${invalidPercent} % invalid, those that are JSON kept; ${valid.get('class-validator')!.toLocaleString('en')} valid by both validators), ` +
        `the telemetry app's \`ReadingDto\`, ${rounds} rounds after a warm-up; CPU time of the process per reading.`,
      '',
      '| variant | what | µs per reading (median) | rounds |',
      '|---|---|---:|---:|',
      ...rows,
      '',
      `- The library takes **${(library / naive).toFixed(2)}×** the CPU of class-transformer + class-validator per reading, parsing included.`,
      `- Validation alone (parsing taken off both): **${((library - parse) / (naive - parse)).toFixed(3)}×**, ` +
        `${(library - parse).toFixed(3)} against ${(naive - parse).toFixed(3)} µs.`,
      '',
    ].join('\n'),
  );
}

main();
