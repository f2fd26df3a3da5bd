import { describe, expect, it } from 'vitest';
import { MAX_AUTOMATIC_PROMPTS, promptOpenDecision } from '../../src/main/prompt-policy.js';
import { promptChange, promptKey, promptRoute } from '../../src/main/prompt-target.js';
import { APPROVALS_ROUTE } from '../../src/main/tray-actions.js';
import { parseRoute } from '../../src/renderer/lib/route.js';
import { approval, deviceRequest } from './shell-fixtures.js';

describe('promptRoute', () => {
  it('names the renderer’s prompt pages', () => {
    expect(promptRoute({ kind: 'approval', id: 'apr_1' })).toBe('/prompt/apr_1');
    expect(promptRoute({ kind: 'device', id: 'dev_1' })).toBe('/prompt/device/dev_1');
  });

  it('encodes an id so it cannot reach another route', () => {
    expect(promptRoute({ kind: 'approval', id: '../settings?x=1#y' })).toBe('/prompt/..%2Fsettings%3Fx%3D1%23y');
    expect(promptRoute({ kind: 'approval', id: 'device/dev_1' })).toBe('/prompt/device%2Fdev_1');
  });
});

describe('the routes main opens are the renderer’s own', () => {
  it.each(['apr_1', 'id with spaces/and#hash', 'ünï'])('approval %s', (id) => {
    expect(parseRoute(`#${promptRoute({ kind: 'approval', id })}`)).toEqual({ page: 'prompt', approvalId: id });
  });

  it.each(['dev_1', 'a/b?c'])('device request %s', (id) => {
    expect(parseRoute(`#${promptRoute({ kind: 'device', id })}`)).toEqual({ page: 'device-prompt', requestId: id });
  });

  it('the Approvals page', () => {
    expect(parseRoute(`#${APPROVALS_ROUTE}`)).toEqual({ page: 'approvals' });
  });
});

describe('promptChange', () => {
  it('opens a prompt for a pending request and closes it when decided', () => {
    expect(promptChange({ type: 'approval.requested', approval: approval() })).toEqual({ open: { kind: 'approval', id: 'apr_1' } });
    expect(promptChange({ type: 'approval.decided', approval: approval({ status: 'timed_out' }) })).toEqual({ close: { kind: 'approval', id: 'apr_1' } });
    expect(promptChange({ type: 'device.requested', request: deviceRequest() })).toEqual({ open: { kind: 'device', id: 'dev_1' } });
    expect(promptChange({ type: 'device.decided', request: deviceRequest({ status: 'denied' }) })).toEqual({ close: { kind: 'device', id: 'dev_1' } });
  });

  it('opens nothing for a request that is no longer pending or for other events', () => {
    expect(promptChange({ type: 'approval.requested', approval: approval({ status: 'denied' }) })).toEqual({});
    expect(promptChange({ type: 'vaults.changed' })).toEqual({});
    expect(promptChange({ type: 'audit.appended', rows: [] })).toEqual({});
  });
});

describe('promptOpenDecision', () => {
  const a = { kind: 'approval', id: 'a' } as const;
  const keys = (n: number) => new Set(Array.from({ length: n }, (_, i) => promptKey({ kind: 'approval', id: `other${i}` })));

  it('opens a new prompt, and a second event for an open one changes nothing', () => {
    expect(promptOpenDecision(new Set(), a, true)).toBe('open');
    expect(promptOpenDecision(new Set([promptKey(a)]), a, true)).toBe('skip');
  });

  it('focuses an open prompt when the person clicks for it', () => {
    expect(promptOpenDecision(new Set([promptKey(a)]), a, false)).toBe('focus');
  });

  it(`opens at most ${MAX_AUTOMATIC_PROMPTS} prompts by itself, but always when the person asks`, () => {
    expect(promptOpenDecision(keys(MAX_AUTOMATIC_PROMPTS - 1), a, true)).toBe('open');
    expect(promptOpenDecision(keys(MAX_AUTOMATIC_PROMPTS), a, true)).toBe('skip');
    expect(promptOpenDecision(keys(50), a, false)).toBe('open');
  });

  it('keeps approvals and device requests with the same id apart', () => {
    expect(promptKey({ kind: 'approval', id: 'x' })).not.toBe(promptKey({ kind: 'device', id: 'x' }));
  });
});
