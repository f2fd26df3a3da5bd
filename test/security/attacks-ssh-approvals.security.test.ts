/**
 * SSH signatures from a sensitive vault (docs/security.md, attacks 102–104): each login through
 * `valetkey ssh-agent` waits for the person like a read does (same approval broker), with real
 * OpenSSH against a local sshd. Allowed → the login works; denied, paused or revoked while waiting
 * → ssh fails at once and the refusal is an audit row; "allow for N minutes" covers later logins.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult, type DaemonProcess } from '../helpers/cli.js';
import { startSshServer, type SshServer } from '../helpers/sshd-server.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, auditRows, loginAgent, ok, run, startEngine, startSshAgent, stopAgentAndEngine } from '../helpers/tool-fixture.js';
import { waitForApproval, type Background } from '../cli/agent-cli-helpers.js';

/** A program left running: its result, and whether it has finished yet. */
function started(result: Promise<CliResult>): { readonly done: Promise<CliResult>; finished(): boolean } {
  let finished = false;
  const done = result.finally(() => (finished = true));
  return { done, finished: () => finished };
}

describe('valetkey ssh-agent with a sensitive vault', { timeout: 240_000 }, () => {
  const home = tempHome('vk-ssha-');
  let daemon: DaemonProcess;
  let sshd: SshServer;
  let agent: Background;
  let tokenId = '';
  let env: NodeJS.ProcessEnv = {};
  const ssh = () => started(run('ssh', [...sshd.sshArgs(), `${sshd.user}@127.0.0.1`, 'echo', 'signed-in'], { env }));
  const signRows = async () => (await auditRows(home.dir, 'secret.use')).filter((r) => r.detail?.purpose === 'ssh-sign');

  beforeAll(async () => {
    sshd = await startSshServer(join(home.dir, 'sshd'));
    daemon = await startEngine(home.dir);
    await ok(home.dir, ['vault', 'create', 'Infra', '--approval', 'every'], AS_PERSON);
    const made = await ok(home.dir, ['item', 'add', 'Infra', 'Deploy key', '--kind', 'ssh_key', '--generate', '--json'], AS_PERSON);
    sshd.authorize([(JSON.parse(made.stdout) as { publicKey: string }).publicKey]);
    tokenId = await loginAgent(home.dir, 'deployer', ['--vault', 'Infra', '--use', '--lifespan', '1h']);
    await startAgent();
  });

  async function startAgent(): Promise<void> {
    let socket: string;
    ({ agent, socket } = await startSshAgent(home.dir, 'deployer', 'deploy 3.3'));
    env = { ...process.env, SSH_AUTH_SOCK: socket, HOME: home.dir };
  }

  afterAll(async () => {
    await stopAgentAndEngine(agent, daemon);
    await sshd.stop();
    home.cleanup();
  });

  it('a login waits for the person, the agent says so on its stderr, and "allow" lets ssh in', async () => {
    const login = ssh();
    const asked = await waitForApproval(home.dir);
    expect(asked).toMatchObject({ agent: 'deployer', reason: 'deploy 3.3' });
    await agent.waitFor(/waiting for approval in Valetkey \(Infra, Deploy key; up to \d+ s\)/);
    expect(login.finished()).toBe(false); // ssh is still waiting, not timed out
    await ok(home.dir, ['approvals', 'approve', asked.id], AS_PERSON);
    const done = await login.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout.trim()).toBe('signed-in');
    const [row] = (await signRows()).filter((r) => r.outcome === 'allowed');
    expect(row).toMatchObject({ reason: 'deploy 3.3', approvalId: asked.id, detail: { hostKey: sshd.hostKeyFingerprint } });
  });

  it('attack 102: the person denies a signature → ssh fails, approval_denied is audited, nothing is signed', async () => {
    const allowedBefore = (await signRows()).filter((r) => r.outcome === 'allowed').length;
    const login = ssh();
    await ok(home.dir, ['approvals', 'deny', (await waitForApproval(home.dir)).id], AS_PERSON);
    const done = await login.done;
    expect(done.code).not.toBe(0);
    expect(done.stdout).not.toContain('signed-in');
    expect(done.stderr).toMatch(/agent refused operation[\s\S]*Permission denied \(publickey\)/);
    const rows = await signRows();
    expect(rows.filter((r) => r.outcome === 'refused').map((r) => r.errorCode)).toContain('approval_denied');
    expect(rows.filter((r) => r.outcome === 'allowed')).toHaveLength(allowedBefore);
  });

  it('attack 103: agents paused while a signature waits → ssh fails at once (agents_paused, audited); a late click signs nothing', async () => {
    const login = ssh();
    const waiting = await waitForApproval(home.dir);
    await ok(home.dir, ['pause'], AS_PERSON);
    const done = await login.done;
    expect(done.code).not.toBe(0);
    expect((await signRows()).filter((r) => r.outcome === 'refused').map((r) => r.errorCode)).toContain('agents_paused');
    await ok(home.dir, ['resume'], AS_PERSON);
    expect((await runCli(home.dir, ['approvals', 'approve', waiting.id], AS_PERSON)).code).not.toBe(0);
  });

  it('attack 104: the token revoked while a signature waits → ssh fails at once, the refusal is audited', async () => {
    const login = ssh();
    await waitForApproval(home.dir);
    const refusedBefore = (await signRows()).filter((r) => r.outcome === 'refused').length;
    await ok(home.dir, ['token', 'revoke', tokenId], AS_PERSON);
    const done = await login.done;
    expect(done.code).not.toBe(0);
    expect(done.stdout).not.toContain('signed-in');
    const refused = (await signRows()).filter((r) => r.outcome === 'refused');
    expect(refused.length).toBe(refusedBefore + 1);
    expect(refused.some((r) => /token_revoked|invalid_token/.test(r.errorCode ?? ''))).toBe(true);
  });

  it('"allow this agent for N minutes" covers the next logins without asking again', async () => {
    agent.child.kill('SIGTERM'); // its token was revoked above: a new token, a new agent
    await agent.done;
    tokenId = await loginAgent(home.dir, 'deployer', ['--vault', 'Infra', '--use', '--lifespan', '1h']);
    await startAgent();
    const first = ssh();
    await ok(home.dir, ['approvals', 'approve', (await waitForApproval(home.dir)).id, '--for', '5'], AS_PERSON);
    expect((await first.done).code).toBe(0);
    const second = await ssh().done;
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse((await runCli(home.dir, ['approvals', 'list', '--json'])).stdout)).toEqual([]);
  });
});
