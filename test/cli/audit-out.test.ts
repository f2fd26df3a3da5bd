/**
 * `valetkey audit export|verify --export|sinks|retention` end to end: a real daemon (keychain
 * mode), the CLI in its own process for every command, a webhook receiver checking signatures.
 */
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';

const keychain = keychainAvailability();

interface Delivery {
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
}

describe.skipIf(keychain.skip)(`valetkey audit out ${keychain.reason}`, () => {
  const home = tempHome('vk-aocli-');
  let daemon: DaemonProcess;
  const deliveries: Delivery[] = [];
  let hookUrl = '';
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      deliveries.push({ timestamp: String(req.headers['x-valetkey-timestamp']), signature: String(req.headers['x-valetkey-signature']), body });
      res.writeHead(200).end();
    });
  });

  beforeAll(async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    daemon = await startDaemonProcess(home.dir);
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/audit`;
    for (const name of ['Ops', 'Finance', 'Scratch']) expect((await runCli(home.dir, ['vault', 'create', name], { input: `${PASSPHRASE}\n` })).code).toBe(0);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    home.cleanup();
  });

  it('checks export and sink options with the admin API schemas, before asking for the passphrase', async () => {
    const format = await runCli(home.dir, ['audit', 'export', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('`format` must be "csv", "jsonl", "cef", "ocsf".');
    const outcome = await runCli(home.dir, ['audit', 'export', '--outcome', 'maybe']);
    expect(outcome.stderr).toContain('`filter.outcome` must be');
    // No input is given: had the CLI asked for the passphrase first, it would fail on that instead.
    const transport = await runCli(home.dir, ['audit', 'sinks', 'add', 'logs', '--type', 'syslog', '--transport', 'carrier-pigeon']);
    expect(transport.code).toBe(2);
    expect(transport.stderr).toContain('`sink.config.transport` must be "tcp", "tls", "udp".');
  });

  it('exports JSON Lines to a file and verifies it; an edited export fails with exit code 7', async () => {
    const file = join(home.dir, 'audit.jsonl');
    const r = await runCli(home.dir, ['audit', 'export', '--format', 'jsonl', '--out', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { rows: number; fromSeq: number; toSeq: number };
    expect(summary).toMatchObject({ fromSeq: 1, contiguous: true });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(summary.rows + 1);

    const ok = await runCli(home.dir, ['audit', 'verify', '--export', file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Export intact: \d+ rows, chain range 1\.\./);

    const again = await runCli(home.dir, ['audit', 'export', '--out', file]);
    expect(again.code).toBe(6);

    writeFileSync(file, readFileSync(file, 'utf8').replace('"action":"vault.create"', '"action":"vault.delete"'));
    const bad = await runCli(home.dir, ['audit', 'verify', '--export', file]);
    expect(bad.code).toBe(7);
    expect(bad.stdout).toMatch(/EXPORT DOES NOT VERIFY at row \d+: row \d+ was altered/);
  });

  it('streams CSV to stdout with the chain range on stderr, and filters', async () => {
    const r = await runCli(home.dir, ['audit', 'export', '--format', 'csv', '--action', 'vault.create']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('seq,time,ts_ms,actor,agent,token_id,key_thumbprint,action,vault_id,entry_id,field,reason,outcome,error_code,approval_id,detail,hash,prev_hash');
    expect(lines.slice(1).every((l) => l.includes(',vault.create,'))).toBe(true);
    expect(lines).toHaveLength(4);
    expect(r.stderr).toMatch(/Exported 3 rows \(csv\) from the chain range \d+\.\.\d+, filtered/);
  });

  it('adds a webhook sink (a grant), delivers signed batches, shows health, tests and removes it', async () => {
    const refused = await runCli(home.dir, ['audit', 'sinks', 'add', 'hook', '--type', 'webhook', '--url', hookUrl, '--generate-key'], { input: 'wrong passphrase!\n' });
    expect(refused.code).toBe(5);

    const add = await runCli(home.dir, ['audit', 'sinks', 'add', 'hook', '--type', 'webhook', '--url', hookUrl, '--generate-key', '--from-start', '--json'], { input: `${PASSPHRASE}\n` });
    expect(add.code, add.stderr).toBe(0);
    const added = JSON.parse(add.stdout) as { generatedKey: string; name: string };
    expect(added.generatedKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await runCli(home.dir, ['vault', 'create', 'Later'], { input: `${PASSPHRASE}\n` });
    const rowsSent = () => deliveries.flatMap((d) => (JSON.parse(d.body) as { rows: { seq: number; action: string }[] }).rows);
    const deadline = Date.now() + 20_000;
    // From the start: the four vault.create rows (Ops, Finance, Scratch, Later) must all arrive.
    while (rowsSent().filter((x) => x.action === 'vault.create').length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const seqs = rowsSent().map((x) => x.seq);
    const health = JSON.parse((await runCli(home.dir, ['audit', 'sinks', '--json'])).stdout) as { health: { lastDeliveredSeq: number; lag: number } }[];
    expect(health[0]?.health).toMatchObject({ lastDeliveredSeq: Math.max(...seqs), lag: 0 });
    for (const d of deliveries) {
      expect(d.signature).toBe(`sha256=${createHmac('sha256', added.generatedKey).update(`${d.timestamp}.${d.body}`).digest('hex')}`);
    }
    expect([...new Set(seqs)]).toEqual(Array.from({ length: Math.max(...seqs) }, (_, i) => i + 1));

    const list = await runCli(home.dir, ['audit', 'sinks']);
    expect(list.stdout).toMatch(/hook\s+webhook\s+http:\/\/127\.0\.0\.1:\d+\s+ok\s+\d+\s+0/);
    expect(list.stdout).not.toContain(added.generatedKey);
    const test = await runCli(home.dir, ['audit', 'sinks', 'test', 'hook']);
    expect(test.code, test.stdout).toBe(0);
    expect((await runCli(home.dir, ['audit', 'sinks', 'rm', 'hook'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    expect((await runCli(home.dir, ['audit', 'sinks', 'list'])).stdout.trim()).toBe('(none)');
  });

  it('retention archives and deletes; audit verify still passes, and the archive verifies online and alone', async () => {
    const set = await runCli(home.dir, ['audit', 'retention', '--keep-rows', '3', '--json'], { input: `${PASSPHRASE}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ keepRows: 3, keepDays: null });
    const run = await runCli(home.dir, ['audit', 'retention', 'run'], { input: `${PASSPHRASE}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Archived rows 1\.\.\d+ to audit-1-\d+\.jsonl \(signed\) and deleted \d+ rows/);

    const verify = await runCli(home.dir, ['audit', 'verify', '--json']);
    expect(verify.code, verify.stdout).toBe(0);
    const v = JSON.parse(verify.stdout) as { ok: boolean; anchorSeq: number };
    expect(v.ok).toBe(true);
    expect(v.anchorSeq).toBeGreaterThan(1);

    const dir = join(home.dir, 'audit-archive');
    const archive = readdirSync(dir).find((f) => f.endsWith('.jsonl'));
    expect(archive).toBeDefined();
    const online = await runCli(home.dir, ['audit', 'verify', '--export', join(dir, archive ?? '')]);
    expect(online.code, online.stdout).toBe(0);
    expect(online.stdout).toMatch(/archived \(no longer in the ledger\); archive signature valid/);
    const alone = await runCli(home.dir, ['audit', 'verify', '--export', join(dir, archive ?? ''), '--offline']);
    expect(alone.code, alone.stdout).toBe(0);
    expect(alone.stdout).toMatch(/archive signature valid; key \S+/);

    const shown = await runCli(home.dir, ['audit', 'retention']);
    expect(shown.stdout).toMatch(/Retention: 3 rows/);
    expect(shown.stdout).toMatch(/Chain anchored at row \d+/);
  });
});
