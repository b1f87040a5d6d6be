import {
  createTestDatabase,
  eventually,
  KafkaAdmin,
  kafkaBootstrap,
  TestDatabase,
  uniqueName,
} from '@org/testing';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { runSimulation } from '../src/simulator/simulation.runner';
import { killLeftoverTelemetry, startTelemetry, TelemetryProcess } from './telemetry-app.process';

/** Debian's package (scripts/setup.sh installs it); CHROMIUM_PATH for another build. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the screenshot goes: `CONSOLE_SCREENSHOT=apps/telemetry/docs/console.png` renews the README's. */
const SCREENSHOT = resolve(process.env.CONSOLE_SCREENSHOT ?? join(tmpdir(), 'telemetry-console.png'));
const TOKEN = 'console-test-token';
const PARTITIONS = 3;
const RECORDS = 30_000;

interface Shown {
  state: string;
  totalLag: number;
  handled: number;
  /** Lag in records by `topic/partition`. */
  partitions: Record<string, number>;
}

describe('the operator console in a real browser, against the telemetry app under load', () => {
  const admin = new KafkaAdmin();
  let database: TestDatabase;
  let browser: Browser;
  let app: TelemetryProcess;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: run scripts/setup.sh, or set CHROMIUM_PATH`);
    database = await createTestDatabase('telemetry_console');
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterEach(killLeftoverTelemetry);
  afterAll(async () => {
    await browser?.close();
    await database?.drop();
    admin.close();
  });

  /** The figures as the page shows them (evaluated in the page: the tests compile without DOM types). */
  async function shown(page: Page): Promise<Shown> {
    return (await page.evaluate(`(() => {
      const section = document.querySelector('[data-listener="telemetry-readings"]');
      const number = (element) => Number(element.textContent.replace(/,/g, ''));
      return {
        state: section.querySelector('[data-state]').textContent,
        totalLag: number(section.querySelector('[data-figure="lag (records)"]')),
        handled: number(section.querySelector('[data-figure="handled"]')),
        partitions: Object.fromEntries([...section.querySelectorAll('tr[data-partition]')].map(
          (row) => [row.dataset.partition, number(row.querySelector('[data-lag]'))])),
      };
    })()`)) as Shown;
  }

  it('shows the listener and its lag as the broker sees it, and pauses and resumes it', async () => {
    const topic = uniqueName('telemetry_console');
    const groupId = uniqueName('console');
    app = startTelemetry({
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_GROUP_ID: groupId,
      TELEMETRY_PARTITIONS: String(PARTITIONS),
      CONSOLE_TOKEN: TOKEN,
    });
    await app.listening();
    const simulation = runSimulation({
      ...{ bootstrap: kafkaBootstrap(), rdkafka: {}, topic, partitions: PARTITIONS, devices: 2_000 },
      ...{ mode: 'steady', rate: 2_000, durationSeconds: undefined, count: RECORDS, invalidRatio: 0.01 },
      ...{ duplicateRatio: 0, burstFactor: 1, burstSeconds: 1, burstEverySeconds: 1, seed: 3, traceRatio: 0 },
      ...{ progress: 'off', json: false },
    });

    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 720 });
    // Without the token, nothing: the page and its API alike.
    expect((await page.goto(app.url('/console')))!.status()).toBe(403);
    expect((await page.goto(app.url('/console/api/state')))!.status()).toBe(403);
    expect((await page.goto(app.url(`/console?token=${TOKEN}`)))!.status()).toBe(200);

    // Under load: running, its three partitions, records handled.
    await page.waitForFunction(
      `document.querySelectorAll('[data-listener="telemetry-readings"] tr[data-partition]').length === 3`,
      { timeout: 30_000 },
    );
    await eventually(async () => (await shown(page)).handled > 2_000, 'readings handled on the page', 30_000);
    const running = await shown(page);
    expect(running.state).toBe('running');
    expect(Object.keys(running.partitions).sort()).toEqual([0, 1, 2].map((p) => `${topic}/${p}`));

    // Paused from the page: the state says so, the lag grows on the broker and on the page.
    await page.click('[data-listener="telemetry-readings"] button[data-action="pause"]');
    await eventually(async () => (await shown(page)).state === 'paused', 'the paused state', 10_000);
    const lagAtPause = (await admin.lag(groupId, topic)).total;
    await eventually(
      async () => (await admin.lag(groupId, topic)).total > lagAtPause + 2_000,
      'the lag growing on the broker',
      30_000,
    );
    await eventually(
      async () => (await shown(page)).totalLag > lagAtPause + 2_000,
      'the lag growing on the page',
      30_000,
    );

    // Nothing produced any more and nothing consumed: the page's figures are the broker's, exactly.
    const produced = await simulation;
    expect(produced).toMatchObject({ delivered: RECORDS, errors: 0 });
    const broker = await admin.lag(groupId, topic);
    await eventually(
      async () => (await shown(page)).totalLag === broker.total,
      `the page showing the broker's lag of ${broker.total}`,
      20_000,
    );
    const paused = await shown(page);
    for (const [partition, lag] of broker.byPartition)
      expect(paused.partitions[`${topic}/${partition}`]).toBe(lag);
    expect(paused.state).toBe('paused');
    await page.screenshot({ path: SCREENSHOT });

    // Resumed from the page: running again, and the lag drains to zero on both sides.
    await page.click('[data-listener="telemetry-readings"] button[data-action="resume"]');
    await eventually(async () => (await shown(page)).state === 'running', 'the running state', 10_000);
    await eventually(
      async () => (await admin.lag(groupId, topic)).total === 0,
      'the broker lag at zero',
      60_000,
    );
    await eventually(async () => (await shown(page)).totalLag === 0, 'the page lag at zero', 20_000);

    // The dead letters: the newest previewed, then a dry-run redrive of all of them.
    const section = '[data-listener="telemetry-readings"]';
    await page.click(`${section} details[data-panel="dlt"] summary`);
    await page.click(`${section} button[data-action="preview"]`);
    await page.waitForFunction(
      `document.querySelectorAll('${section} [data-preview] tbody tr').length === 20`,
      {
        timeout: 20_000,
      },
    );
    const letter = (await page.evaluate(
      `document.querySelector('${section} [data-preview] tbody tr').textContent`,
    )) as string;
    expect(letter).toContain(`${topic}.DLT/`);
    // The simulator's defects: values the DTO refuses, or JSON cut short.
    expect(letter).toMatch(/RecordValidationError: invalid value|DeserializationError: /);
    await page.click(`${section} button[data-action="redrive"]`);
    const redrive = `[...document.querySelectorAll('section.listener tbody tr')].find((row) => row.textContent.includes('dry run'))`;
    await page.waitForFunction(`(${redrive})?.textContent.endsWith('done')`, { timeout: 30_000 });
    const cells = (await page.evaluate(
      `[...(${redrive}).cells].map((cell) => cell.textContent)`,
    )) as string[];
    const invalid = String(produced.kinds.invalid.toLocaleString('en-US'));
    expect(cells.slice(1)).toEqual([`${topic}.DLT`, 'dry run', invalid, invalid, 'done']);
    await page.close();
    app.child.kill('SIGTERM');
    await app.exited;
  });
});
