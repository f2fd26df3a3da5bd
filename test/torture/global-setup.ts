/**
 * `valetkey init --key-file` costs several seconds (Argon2id MODERATE), so the suite runs it once
 * and each test copies the initialised data directory (keys file and database) into its own.
 * Copies are independent engines: the agent port and the socket directory are chosen per copy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PASSPHRASE, runCli } from '../helpers/cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    tortureTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'vk-tpl-'));
  const r = await runCli(dir, ['init', '--key-file'], { input: `${PASSPHRASE}\n` });
  if (r.code !== 0) throw new Error(`valetkey init failed (${r.code}): ${r.stderr}`);
  project.provide('tortureTemplate', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
