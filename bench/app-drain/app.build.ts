import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AppDrainConfig } from './app-drain.config';

/** Compiled to bench/dist/app-drain: the repository is three levels up. */
export const REPO_ROOT = resolve(__dirname, '../../..');

/** Written last into a baseline's folder: a folder without it is an interrupted build. */
const BUILT_MARKER = '.bench-baseline-built';
/** The compiled code the telemetry app runs, relative to a build's root. */
const CODE_DIRS = ['apps/telemetry/dist', 'packages/kafka-batch/dist', 'libs/kafka-offsets/dist'];

export type BuildRole = 'baseline' | 'candidate';

/** A compiled telemetry app the benchmark can start. */
export interface AppBuild {
  role: BuildRole;
  /** What it was built from, for the report. */
  source: string;
  /** The folder the app runs in. */
  root: string;
  /** The app's compiled entry point (`node <mainJs>`, as in production). */
  mainJs: string;
  /** Folders of the compiled code the app loads, hashed to notice a build replaced during the run. */
  codeDirs: string[];
  /** Seconds spent building it in this run (0: built before). */
  buildSeconds: number;
}

/** The working tree's own build (`pnpm bench:build` makes it). */
export async function candidateBuild(): Promise<AppBuild> {
  const commit = await git(['rev-parse', '--short', 'HEAD']);
  const changes = await git(['status', '--porcelain', '--', 'apps', 'packages', 'libs']);
  return {
    role: 'candidate',
    source: `working tree at ${commit}${changes ? ' with uncommitted changes in apps/, packages/ or libs/' : ''}`,
    root: REPO_ROOT,
    mainJs: join(REPO_ROOT, 'apps/telemetry/dist/main.js'),
    codeDirs: CODE_DIRS.map((dir) => join(REPO_ROOT, dir)),
    buildSeconds: 0,
  };
}

/**
 * The app as it was at BASELINE_REF, built once per commit in a folder of its own outside the
 * repository (the commit's tree from `git archive`, its own lockfile installed from pnpm's store
 * without the network, then its own `pnpm run build`) and reused by later runs. BASELINE_DIST
 * names an existing build instead.
 */
export async function baselineBuild(config: AppDrainConfig): Promise<AppBuild> {
  const dist = config.baselineDist;
  if (dist) {
    return {
      role: 'baseline',
      source: 'an existing build (BASELINE_DIST)',
      root: dist,
      mainJs: join(dist, 'main.js'),
      codeDirs: [dist],
      buildSeconds: 0,
    };
  }
  const commit = await git(['rev-parse', '--verify', `${config.baselineRef}^{commit}`]);
  const subject = await git(['log', '-1', '--format=%s', commit]);
  const root = join(config.baselineCacheDir, commit);
  const started = Date.now();
  if (!existsSync(join(root, BUILT_MARKER))) {
    console.log(`building the baseline ${commit.slice(0, 7)} in ${root} (once per commit)…`);
    await buildCommit(commit, root);
  }
  return {
    role: 'baseline',
    source: `${commit.slice(0, 7)} (BASELINE_REF=${config.baselineRef}): ${truncate(subject, 100)}`,
    root,
    mainJs: join(root, 'apps/telemetry/dist/main.js'),
    codeDirs: CODE_DIRS.map((dir) => join(root, dir)),
    buildSeconds: (Date.now() - started) / 1000,
  };
}

async function buildCommit(commit: string, root: string): Promise<void> {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const archive = `${root}.tar`;
  await git(['archive', '--format=tar', `--output=${archive}`, commit]);
  try {
    await run('tar', ['-xf', archive, '-C', root], root);
  } finally {
    rmSync(archive, { force: true });
  }
  // Its own lockfile: the same dependencies that commit was built and tested with, from the store
  // where it has them (a fresh machine's store lacks those the working tree no longer uses).
  await run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile'], root);
  await run('pnpm', ['run', 'build'], root);
  if (!existsSync(join(root, 'apps/telemetry/dist/main.js'))) {
    throw new Error(`the baseline's build in ${root} made no apps/telemetry/dist/main.js`);
  }
  writeFileSync(join(root, BUILT_MARKER), `${commit}\n${new Date().toISOString()}\n`);
}

/** A short hash of the compiled JavaScript a build runs: equal hashes, same code. */
export function codeFingerprint(build: AppBuild): string {
  const hash = createHash('sha256');
  for (const dir of build.codeDirs) {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.js'))
      .sort();
    for (const file of files) {
      hash.update(relative(build.root, join(dir, file)));
      hash.update(readFileSync(join(dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

const git = async (args: string[]): Promise<string> => (await run('git', ['-C', REPO_ROOT, ...args])).trim();

/**
 * Runs a build tool and returns its output; its output is shown only when it fails. The
 * variables pnpm gives the script that runs this benchmark are left out, so that a nested pnpm
 * sees only the folder it runs in.
 */
async function run(command: string, args: string[], cwd = REPO_ROOT): Promise<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'PNPM_SCRIPT_SRC_DIR'),
  );
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 2 ** 20 });
    return stdout;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${`${stdout}${stderr}`.slice(-4_000)}`, {
      cause: err,
    });
  }
}

const truncate = (text: string, length: number) =>
  text.length > length ? `${text.slice(0, length)}…` : text;
