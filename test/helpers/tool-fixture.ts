/**
 * For the tests of the tools an agent runs (git credential helper, SSH agent): a real daemon on a
 * passphrase key file (no D-Bus needed), agents logged in with `--store file`, the real `valetkey`
 * program, and an async runner for real programs (git, ssh) so servers in the test process keep
 * answering while they run.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AuditRow } from '../../src/shared/model.js';
import { NO_DBUS } from '../e2e/headless-daemon.js';
import { initTestDataDir } from './engine-fixture.js';
import { PASSPHRASE, ROOT, runCli, runProgram, startDaemonProcess, type CliResult, type DaemonProcess } from './cli.js';
import { startCli, type Background } from '../cli/agent-cli-helpers.js';

export { NO_DBUS };
export const AS_PERSON = { input: `${PASSPHRASE}\n`, env: NO_DBUS } as const;
export const BIN_DIR = join(ROOT, 'bin');

export async function ok(home: string, args: readonly string[], options: { input?: string; env?: Record<string, string | undefined> } = { env: NO_DBUS }): Promise<CliResult> {
  const r = await runCli(home, args, { ...options, env: { ...NO_DBUS, ...options.env } });
  expect(r.code, `valetkey ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

/**
 * An engine process on a data directory set up as `valetkey init --key-file` does, but with the key
 * file at Argon2id INTERACTIVE (test-only, engine-fixture.ts): these files are about the tools, and
 * `init` and `unlock` at the shipped MODERATE limits have their own tests (test/core/daemon,
 * test/e2e). `env` goes to the engine process only (e.g. NODE_EXTRA_CA_CERTS naming a test
 * upstream's CA).
 */
export async function startEngine(home: string, env: Record<string, string> = {}): Promise<DaemonProcess> {
  await initTestDataDir(home);
  const daemon = await startDaemonProcess(home, { ...NO_DBUS, ...env });
  // A key-file engine starts locked: the person unlocks it once.
  await ok(home, ['unlock'], AS_PERSON);
  return daemon;
}

/** A token made by the person, redeemed by the agent into profile `profile` (key in a 0600 file). */
export async function loginAgent(home: string, profile: string, tokenArgs: readonly string[]): Promise<string> {
  const r = await ok(home, ['token', 'create', '--name', profile, ...tokenArgs, '--json'], AS_PERSON);
  const created = JSON.parse(r.stdout) as { enrollmentCode: string; token: { id: string } };
  await ok(home, ['login', '--enroll', created.enrollmentCode, '--profile', profile, '--store', 'file']);
  return created.token.id;
}

export async function auditRows(home: string, action: string): Promise<AuditRow[]> {
  return (JSON.parse((await ok(home, ['audit', 'list', '--action', action, '--json'])).stdout) as { rows: AuditRow[] }).rows;
}

export const run = runProgram;

/** `valetkey ssh-agent` for a profile, running until killed; `socket` is its SSH_AUTH_SOCK. */
export async function startSshAgent(home: string, profile: string, reason: string): Promise<{ agent: Background; socket: string }> {
  const agent = startCli(home, ['ssh-agent', '--reason', reason], { env: { ...NO_DBUS, VALETKEY_PROFILE: profile } });
  await agent.waitFor('export SSH_AUTH_SOCK');
  return { agent, socket: /SSH_AUTH_SOCK=([^;]+);/.exec(agent.stdout())?.[1] ?? '' };
}

/** Stops a background agent process, then the engine (which must exit cleanly). */
export async function stopAgentAndEngine(agent: Background, daemon: DaemonProcess): Promise<void> {
  agent.child.kill('SIGTERM');
  await agent.done;
  expect(await daemon.stop()).toBe(0);
}
