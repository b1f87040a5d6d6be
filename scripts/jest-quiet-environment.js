// The test environment of both Jest projects: tests print nothing unless they fail. Everything a
// test file writes (console, process.stdout and process.stderr, and what the harness routes here
// with testOutput(): Nest loggers, child processes) is kept in memory per test; when a test fails,
// its output is printed under its name. JEST_TEST_OUTPUT=live prints it all as it comes instead.
const { Console } = require('node:console');
const { dirname, relative } = require('node:path');
const { Writable } = require('node:stream');
const { TestOutput } = require('./jest-test-output');

// pnpm keeps Jest's own dependencies out of the root node_modules: find the Node environment
// through the packages that depend on it.
function jestPackage(name, from) {
  return dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
}
const jestConfigDir = jestPackage('jest-config', jestPackage('jest-cli', jestPackage('jest', __dirname)));
const { TestEnvironment } = require(jestPackage('jest-environment-node', jestConfigDir));

/** Where @org/testing's testOutput() finds the environment (libs/testing/src/test-output.ts). */
const SINK = Symbol.for('@org/testing/test-output');
/** How much of a failing test's output is printed: its beginning and its end. */
const LINES_SHOWN = { firstLines: 200, lastLines: 1_800 };
const live = process.env.JEST_TEST_OUTPUT === 'live';

/** Redirects a stream's writes to `append` until the returned function is called. */
function intercept(stream, append) {
  const original = stream.write;
  stream.write = (chunk, encoding, callback) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
  return () => {
    stream.write = original;
  };
}

/** The titles from the file down to the test or block (the root block has no parent and no title). */
function titlesOf(testOrBlock) {
  const titles = [];
  for (let block = testOrBlock; block.parent; block = block.parent) titles.unshift(block.name);
  return titles;
}

class QuietEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.file = relative(config.projectConfig.rootDir, context.testPath);
    this.output = new TestOutput(LINES_SHOWN);
    this.printError = process.stderr.write.bind(process.stderr);
    this.restores = [];
  }

  async setup() {
    await super.setup();
    const append = live
      ? (source, text) => this.printError(text.replace(/^(?=.)/gm, `${source} │ `))
      : (source, text) => this.output.append(source, text);
    this.global[SINK] = { write: append };
    if (live) return;
    const sink = (source) =>
      new Writable({
        write(chunk, _encoding, done) {
          append(source, chunk.toString());
          done();
        },
      });
    this.global.console = new Console({ stdout: sink('console'), stderr: sink('console') });
    this.restores.push(
      intercept(process.stdout, (text) => append('stdout', text)),
      intercept(process.stderr, (text) => append('stderr', text)),
    );
  }

  async teardown() {
    for (const restore of this.restores.splice(0)) restore();
    await super.teardown();
  }

  handleTestEvent(event, state) {
    switch (event.name) {
      case 'test_done':
        if (event.test.errors.length > 0) this.print(titlesOf(event.test));
        this.output.clear();
        break;
      case 'hook_failure':
        // A beforeAll failure fails each test of its block (printed with the first one); an
        // afterAll failure belongs to no test.
        if (event.hook.type === 'afterAll') this.print([...titlesOf(event.describeBlock), 'afterAll']);
        break;
      case 'run_describe_finish':
        // What the block's afterAll hooks printed, and they passed.
        this.output.clear();
        break;
      case 'run_finish':
        if (state.unhandledErrors.length > 0) this.print([]);
        break;
    }
  }

  print(titles) {
    if (live || this.output.isEmpty) return;
    this.printError(this.output.report([this.file, ...titles].join(' › ')));
    this.output.clear();
  }
}

module.exports = QuietEnvironment;
