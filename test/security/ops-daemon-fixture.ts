/**
 * For the attacks on a stopped engine's files (rollback, guards): a real daemon in keychain mode
 * with one vault `Ops` holding one secret, restartable as the person would restart it, and the
 * check that a tampered row was audited once and shown to the person.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { readAdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import type { VaultInfo } from '../../src/shared/model.js';
import { startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';

export interface OpsDaemon {
  readonly fx: DaemonFixture;
  readonly ops: VaultInfo;
  daemon: DaemonProcess;
  person: HttpAdminClient;
  /** Starts the daemon again (stopping it first if it runs) and reconnects the person. */
  restart(args?: readonly string[], input?: string): Promise<void>;
  close(): Promise<void>;
}

export async function openOpsDaemon(secret: string): Promise<OpsDaemon> {
  const fx = await openDaemonFixture();
  const ops = await fx.person.createVault({ grant: fx.grant, vault: { name: 'Ops' } });
  await fx.person.createEntry({ grant: fx.grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: secret } } });
  const self: OpsDaemon = {
    fx,
    ops,
    daemon: fx.daemon,
    person: fx.person,
    restart: async (args = [], input) => {
      await self.daemon.stop();
      self.daemon = await startDaemonProcess(fx.home, {}, { args, ...(input !== undefined ? { input } : {}) });
      const info = readAdminInfo(join(fx.home, 'admin.json'));
      self.person = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
    },
    close: async () => {
      await self.daemon.stop();
      await fx.close();
    },
  };
  return self;
}

/** The row was audited exactly once as tampered (however often it was tried) and is in the status. */
export async function expectTamperShownOnce(person: HttpAdminClient, table: string, rowId: string): Promise<void> {
  const rows = await waitFor(async () => {
    const { rows: all } = await person.queryAudit({ action: 'integrity.tamper_detected', limit: 500 });
    const found = all.filter((r) => (r.detail as { rowId?: string } | null)?.rowId === rowId);
    return found.length > 0 ? found : undefined;
  }, 'the tamper_detected row');
  expect(rows.map((r) => [r.actor, r.outcome, r.errorCode, r.detail])).toEqual([['engine', 'error', 'tamper_detected', { table, rowId }]]);
  expect((await person.status({})).tampered?.map((t) => `${t.table}:${t.rowId}`)).toContain(`${table}:${rowId}`);
}
