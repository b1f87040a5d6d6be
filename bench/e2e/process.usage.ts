import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface UsageSample {
  at: number;
  /** User + system CPU time since the process started. */
  cpuSeconds: number;
  rssBytes: number;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const PAGE_BYTES = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim());

/** CPU time and resident memory of a process, read from /proc like `top` does; undefined once it is gone. */
export function readUsage(pid: number): UsageSample | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, rssPages] = [fields[11], fields[12], fields[21]].map(Number);
  return { at: Date.now(), cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssPages * PAGE_BYTES };
}

/** Cores used on average between two moments (1.0 = one core busy all the time). */
export function coresBetween(samples: readonly UsageSample[], from: number, to: number): number | undefined {
  const inside = samples.filter((sample) => sample.at >= from && sample.at <= to);
  if (inside.length < 2) return undefined;
  const first = inside[0];
  const last = inside[inside.length - 1];
  return (last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000);
}

export function peakRssBetween(
  samples: readonly UsageSample[],
  from: number,
  to: number,
): number | undefined {
  const inside = samples.filter((sample) => sample.at >= from && sample.at <= to);
  return inside.length ? Math.max(...inside.map((sample) => sample.rssBytes)) : undefined;
}
