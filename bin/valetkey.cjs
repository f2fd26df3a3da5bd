#!/usr/bin/env node
// The installed `valetkey` command. CommonJS, like the bundle it runs (out/cli/valetkey.cjs, see
// scripts/build-cli.mjs): an agent starts it once per tool call, and an ES module entry would start
// Node's ES module loader first. Without a build it hands over to valetkey.mjs (tsx from source).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, as said above */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli', 'valetkey.cjs');
if (existsSync(bundle)) require(bundle);
else import('./valetkey.mjs');
