import { describe, expect, it } from 'vitest';
import { tamperSummary } from '../../src/renderer/lib/tamper-summary.js';

describe('the tamper banner text', () => {
  it('says nothing when nothing was tampered with', () => {
    expect(tamperSummary([])).toBeUndefined();
  });

  it('names each row in words, and says what to do', () => {
    const text = tamperSummary([
      { table: 'tokens', rowId: 'tok-1', detectedAt: 0 },
      { table: 'audit_head', rowId: 'head', detectedAt: 0 },
    ]);
    expect(text).toContain('they grant nothing: token tok-1, audit log end head.');
    expect(text).toContain('revoke what it names');
  });

  it('names a planted proxy CA certificate as such', () => {
    expect(tamperSummary([{ table: 'proxy_ca', rowId: 'proxy-ca.pem', detectedAt: 0 }])).toContain('it grants nothing: HTTPS proxy CA certificate (replaced with Valetkey’s own) proxy-ca.pem.');
  });

  it('says how a vault or entry put back from an earlier copy is healed', () => {
    const text = tamperSummary([{ table: 'vaults', rowId: 'v-1', detectedAt: 0 }]);
    expect(text).toContain('it grants nothing: vault put back from an earlier copy (check its settings and save it again) v-1.');
    expect(tamperSummary([{ table: 'entries', rowId: 'e-1', detectedAt: 0 }])).toContain('entry put back from an earlier copy (check it and save it again) e-1');
  });
});
