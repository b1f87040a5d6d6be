#!/usr/bin/env node
// The command line lives in the build (src/cli/kafka-batch.ts); this file exists from install on,
// so that package managers link the command before the package is built.
require('../dist/cli/kafka-batch.js');
