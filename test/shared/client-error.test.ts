/** The agent client's typed errors, as the CLI and the MCP server report them. */
import { describe, expect, it } from 'vitest';
import { makeError } from '../../sdk/js/src/errors.js';
import { fromClientError } from '../../src/shared/client-error.js';
import { ERRORS, VkError } from '../../src/shared/errors.js';

describe('fromClientError', () => {
  it('keeps the code and the sentence the engine (or the client) gave', () => {
    const e = fromClientError(makeError('vault_locked', 'Valetkey is locked. Ask the person to unlock it, then retry.', 423));
    expect(e).toBeInstanceOf(VkError);
    expect(e).toMatchObject({ code: 'vault_locked', status: ERRORS.vault_locked.status, message: 'Valetkey is locked. Ask the person to unlock it, then retry.' });
  });

  it('reports a timeout as an engine that does not answer, and a code it does not know as internal_error', () => {
    expect(fromClientError(makeError('timeout', 'Valetkey did not answer within 180 s.'))).toMatchObject({ code: 'engine_unreachable', message: 'Valetkey did not answer within 180 s.' });
    expect(fromClientError(makeError('no_such_code', 'whatever'))).toMatchObject({ code: 'internal_error', message: ERRORS.internal_error.message });
  });

  it('leaves anything else as it is', () => {
    const own = new VkError('reason_required');
    const bug = new TypeError('x');
    expect(fromClientError(own)).toBe(own);
    expect(fromClientError(bug)).toBe(bug);
  });
});
