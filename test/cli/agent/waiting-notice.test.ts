/** The waiting notice the CLI prints comes from the agent client, which cannot import the engine: its limit must still be the engine's. */
import { describe, expect, it } from 'vitest';
import { APPROVAL_TIMEOUT_S } from '../../../sdk/js/src/waiting.js';
import { DEFAULT_APPROVAL_TIMEOUT_MS } from '../../../src/core/approvals/approval-broker.js';

describe('waiting notice', () => {
  it("names the engine's own approval timeout", () => {
    expect(APPROVAL_TIMEOUT_S * 1000).toBe(DEFAULT_APPROVAL_TIMEOUT_MS);
  });
});
