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
});
