/**
 * The person's side of the standard-client interop tests: a real `valetkey daemon` process (see
 * daemon-fixture.ts), a vault with one secret, and approving a device request through the admin
 * API as the app does. The agent's side in those tests is a standard OAuth client only.
 */
import { expect } from 'vitest';
import type { GrantProof } from '../../src/shared/admin-api.js';
import type { DeviceRequestInfo, VaultInfo } from '../../src/shared/model.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from './daemon-fixture.js';

export const INTEROP_SECRET = 'vksec-INTEROP-bank-pw-4c81e7a09d';
export const INTEROP_REF = 'vk://Accounting/Bank/password';

export interface InteropFixture {
  readonly fx: DaemonFixture;
  readonly issuer: URL;
  readonly accounting: VaultInfo;
  /** `vault:<id>:read`, the scope every test asks for. */
  readonly scope: string;
  /**
   * Waits until the request of `clientName` is shown with the code the client printed and is bound
   * to `jkt` (by `dpop_jkt` or the client's first poll), then approves it as the person.
   */
  approveWhenBound(clientName: string, userCode: string, jkt: string): Promise<DeviceRequestInfo>;
  close(): Promise<void>;
}

export async function openInteropFixture(): Promise<InteropFixture> {
  const fx = await openDaemonFixture();
  try {
    const accounting = await fx.person.createVault({ grant: fx.grant, vault: { name: 'Accounting' } });
    await fx.person.createEntry({ grant: fx.grant, vaultId: accounting.id, entry: { title: 'Bank', kind: 'login', fields: { username: 'acme', password: INTEROP_SECRET } } });
    // One passphrase, then a short session, as the dashboard does for prompts answered in a row.
    const session: GrantProof = { session: (await fx.person.openGrantSession({ passphrase: fx.grant.passphrase, minutes: 15 })).session };
    return {
      fx,
      issuer: new URL(fx.discovery.issuer),
      accounting,
      scope: `vault:${accounting.id}:read`,
      approveWhenBound: async (clientName, userCode, jkt) => {
        const find = async () => (await fx.person.listDeviceRequests({ status: 'pending' })).find((r) => r.clientName === clientName && r.keyThumbprint !== null);
        const shown = await waitFor(find, `the prompt for ${clientName}, bound to a key`, 40_000);
        expect(shown.userCode.replace('-', '')).toBe(userCode.replace('-', ''));
        expect(shown.keyThumbprint).toBe(jkt);
        return fx.person.decideDeviceRequest({ grant: session, requestId: shown.id, decision: 'approve' });
      },
      close: () => fx.close(),
    };
  } catch (e) {
    await fx.close();
    throw e;
  }
}
