/** Token creation and enrollment timings, and the approval round trip with an automatic approver. */
import type { AdminApi, GrantProof } from '../../src/shared/admin-api.js';
import type { AdminEvent } from '../../src/shared/model.js';
import { call, enroll } from './agent.js';
import { newDpopKey, proof } from './dpop.js';
import { percentile, type Target } from './load.js';

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

export async function tokenTimings(admin: AdminApi, grant: GrantProof, target: Target, base: string, n: number): Promise<{ createMedianMs: number; enrollMedianMs: number }> {
  const create: number[] = [];
  const enrollTimes: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = process.hrtime.bigint();
    const created = await admin.createToken({ grant, token: { name: `timing-${i}`, vaults: ['bench'], actions: ['read'], lifespanSeconds: 3600 } });
    create.push(ms(t));
    const key = newDpopKey();
    t = process.hrtime.bigint();
    await enroll(target, base, key, created.enrollmentCode, `timing-${i}`);
    enrollTimes.push(ms(t));
  }
  return { createMedianMs: median(create), enrollMedianMs: median(enrollTimes) };
}

type Subscribing = AdminApi & { subscribe?(listener: (e: AdminEvent) => void): Promise<() => void> };

export async function approvalRoundTrip(admin: Subscribing, grant: GrantProof, target: Target, base: string, n: number): Promise<{ medianMs: number }> {
  const vault = await admin.createVault({ grant, vault: { name: 'bench-approval', approval: { mode: 'every_access' } } });
  await admin.createEntry({ grant, vaultId: vault.id, entry: { title: 'gated', kind: 'api_key', fields: { apiKey: 'gated-bench-value' } } });
  const created = await admin.createToken({ grant, token: { name: 'approval-bench', vaults: [vault.id], actions: ['read'], lifespanSeconds: 3600 } });
  const key = newDpopKey();
  const token = await enroll(target, base, key, created.enrollmentCode, 'approval-bench');
  if (!admin.subscribe) throw new Error('the admin client cannot subscribe to events');
  const stop = await admin.subscribe((e) => {
    if (e.type === 'approval.requested') void admin.decideApproval({ grant, approvalId: e.approval.id, decision: 'allow_once' });
  });
  const times: number[] = [];
  const body = JSON.stringify({ refs: ['vk://bench-approval/gated/api_key'], reason: 'benchmark: approval round trip' });
  let nonce = '';
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await call(target, 'POST', '/v1/resolve', { 'content-type': 'application/json', authorization: `DPoP ${token}`, dpop: proof(key, 'POST', `${base}/v1/resolve`, { accessToken: token, nonce }) }, body);
      if (r.body.error === 'use_dpop_nonce') {
        nonce = String(r.headers['dpop-nonce']);
        continue;
      }
      if (r.status !== 200) throw new Error(`approval bench: ${JSON.stringify(r.body)}`);
      break;
    }
    times.push(ms(t));
  }
  stop();
  return { medianMs: median(times) };
}
