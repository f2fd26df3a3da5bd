#!/usr/bin/env node
// The installed `valetkey` command. CommonJS, like the bundle it runs (out/cli/valetkey.cjs, see
// scripts/build-cli.mjs): an agent starts it once per tool call, and an ES module entry would start
// Node's ES module loader first. Without a build it hands over to valetkey.mjs (tsx from source).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, as said above */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'out', 'cli', 'valetkey.cjs');
if (existsSync(bundle)) runWithCodeCache(bundle);
else import('./valetkey.mjs');

/**
 * Runs the bundle as `require` would, but with V8's code cache: the bytecode of the functions an
 * earlier run of the same command compiled, kept beside the bundle, one file per command word
 * (~3 ms of each start, bench/results.md; Node 20 has no compile cache of its own). Whoever can
 * write that directory can already rewrite the bundle, so the cache adds no way in
 * (docs/security.md, "Threat model"). A cache older than the bundle, missing, or refused by V8
 * (another Node, other flags) is written anew after a command that succeeded; a directory we
 * cannot write is left without one.
 */
function runWithCodeCache(file) {
  const fs = require('node:fs');
  const path = require('node:path');
  const vm = require('node:vm');
  const Module = require('node:module');
  const word = process.argv[2] ?? '';
  const cacheFile = `${file}.${/^[a-z][a-z-]{0,23}$/.test(word) ? word : 'other'}.v8-cache`;
  let cachedData;
  try {
    if (fs.statSync(cacheFile).mtimeMs >= fs.statSync(file).mtimeMs) cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  // Node 20 cannot run an import() written in code compiled from a cache; the bundle's one import()
  // (main.mjs, the person's commands) borrows this file's (scripts/build-cli.mjs).
  globalThis[Symbol.for('valetkey.importBeside')] = (specifier) => import(require('node:url').pathToFileURL(path.join(path.dirname(file), specifier)).href);
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', (code) => code === 0 && writeCache(script, cacheFile));
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const requireHere = (id) => mod.require(id);
  script.runInThisContext().call(mod.exports, mod.exports, requireHere, mod, file, path.dirname(file));
  mod.loaded = true;
}

/** Written whole or not at all: a temporary file renamed over the old one, so a racing start reads either. */
function writeCache(script, cacheFile) {
  const fs = require('node:fs');
  const temporary = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}
