import { runRedrive } from '../redrive/redrive.command';
import { parseRedriveOptions, REDRIVE_USAGE, RedriveUsageError } from '../redrive/redrive.options';

const USAGE = `Usage: kafka-batch <command> [options]

Commands:
  redrive   copy dead letters back to their topics (kafka-batch redrive --help)`;

/** The package's command line: `pnpm exec kafka-batch redrive …` in a project that depends on it. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const output = { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
  if (command === undefined || command === '--help' || command === 'help') {
    output.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'redrive') {
    output.err(`kafka-batch: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const options = parseRedriveOptions(rest, process.env);
    if (options === 'help') {
      output.out(REDRIVE_USAGE);
      return 0;
    }
    return await runRedrive(options, output);
  } catch (err) {
    if (err instanceof RedriveUsageError) {
      output.err(`kafka-batch redrive: ${err.message}\n\n${REDRIVE_USAGE}`);
      return 2;
    }
    output.err(`kafka-batch redrive failed: ${(err as Error).stack ?? err}`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
