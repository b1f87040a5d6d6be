import { executeRedrive } from './redrive.execute';
import type { RedriveOptions } from './redrive.options';
import type { RedriveSend } from './redrive.selection';
import type { RedriveProgress } from './redrive.session';

const PROGRESS_EVERY_MS = 2_000;

export interface CommandOutput {
  /** Results: the dry run's lines and the summary. */
  out(line: string): void;
  /** Progress and errors. */
  err(line: string): void;
}

/** Runs one redrive; resolves with the exit status (0 done, 1 failed). */
export async function runRedrive(options: RedriveOptions, output: CommandOutput): Promise<number> {
  const startedAt = Date.now();
  let lastProgress = startedAt;
  const { progress, failure } = await executeRedrive(options, {
    wouldSend: (letter, record) => output.out(dryRunLine(options.deadLetterTopic, letter, record)),
    progress: (now) => {
      if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = Date.now();
      output.err(progressLine(now, options.dryRun));
    },
  });
  const summary = {
    ...summaryOf(options, progress, Date.now() - startedAt),
    ...(failure ? { failure } : {}),
  };
  if (options.json) output.out(JSON.stringify(summary));
  else for (const line of summaryLines(summary)) output.out(line);
  return failure ? 1 : 0;
}

function dryRunLine(
  topic: string,
  letter: { partition: number; offset: number },
  record: RedriveSend,
): string {
  const target = `${record.topic}${record.partition === undefined ? ' (by key)' : `/${record.partition}`}`;
  const message = record.exceptionMessage.replace(/\s+/g, ' ');
  const reason = message.length > 120 ? `${message.slice(0, 119)}…` : message;
  return `would send ${topic}/${letter.partition}@${letter.offset} → ${target}  ${record.exceptionClass}: ${reason}`;
}

function progressLine(p: RedriveProgress, dryRun: boolean): string {
  const skipped = p.skipped.filtered + p.skipped.incomplete + p.skipped['no-origin'];
  return `redrive: read ${p.read} of ${p.total}, ${dryRun ? 'would send' : 'sent'} ${p.sent}, skipped ${skipped}`;
}

type Summary = ReturnType<typeof summaryOf> & { failure?: string };

function summaryOf(options: RedriveOptions, p: RedriveProgress, elapsedMs: number) {
  return {
    deadLetterTopic: options.deadLetterTopic,
    group: options.group,
    dryRun: options.dryRun,
    total: p.total,
    read: p.read,
    sent: p.sent,
    committed: p.committed,
    skipped: p.skipped,
    sentTo: p.sentTo,
    sentByException: p.sentByException,
    seconds: Math.round(elapsedMs / 100) / 10,
  };
}

function summaryLines(s: Summary): string[] {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ') || 'none';
  return [
    `redrive of ${s.deadLetterTopic} (group ${s.group})${s.dryRun ? ', dry run: nothing sent or committed' : ''}`,
    `  dead letters   ${s.read} read of ${s.total} after the group's committed offsets, in ${s.seconds} s`,
    `  ${(s.dryRun ? 'would send' : 'sent').padEnd(15)}${s.sent}: ${list(s.sentTo)}`,
    `  by exception   ${list(s.sentByException)}`,
    `  skipped        ${s.skipped.filtered} not selected, ${s.skipped.incomplete} published without parts of their record, ${s.skipped['no-origin']} without an original topic`,
    ...(s.dryRun ? [] : [`  committed      ${s.committed} dead letters redriven for good`]),
    ...(s.failure ? [`  FAILED         ${s.failure}`] : []),
  ];
}
