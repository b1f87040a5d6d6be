/**
 * `node bench/dist/profiling/allocation.report.js <profile> [readings] [top]`: the allocation sites of
 * a profile written by allocation.sampler, by function, heaviest first, in MB and per reading.
 */
import { readFileSync } from 'node:fs';

export interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export interface AllocationSite {
  site: string;
  bytes: number;
}

/** Bytes allocated per function (name, file relative to the workspace or package, line). */
export function allocationSites(head: ProfileNode): AllocationSite[] {
  const bytes = new Map<string, number>();
  const pending = [head];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url
      .replace(/.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
      .replace(/.*\/(apps|packages|libs)\//, '$1/');
    const site = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    if (node.selfSize > 0) bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
    pending.push(...node.children);
  }
  return [...bytes].map(([site, total]) => ({ site, bytes: total })).sort((a, b) => b.bytes - a.bytes);
}

function main([file, readings, top = '25']: string[]): void {
  if (!file) throw new Error('usage: allocation.report.js <profile> [readings] [top]');
  const sites = allocationSites((JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode }).head);
  const total = sites.reduce((sum, s) => sum + s.bytes, 0);
  const perReading = (bytes: number) =>
    readings ? ` ${(bytes / Number(readings)).toFixed(0).padStart(6)} B/reading` : '';
  console.log(`total ${(total / 1e6).toFixed(0)} MB${perReading(total)}`);
  for (const { site, bytes } of sites.slice(0, Number(top)))
    console.log(
      `${((100 * bytes) / total).toFixed(1).padStart(5)} % ${(bytes / 1e6).toFixed(0).padStart(6)} MB${perReading(bytes)}  ${site}`,
    );
}

if (require.main === module) main(process.argv.slice(2));
