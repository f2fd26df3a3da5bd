import { describe, expect, it } from 'vitest';
import type { AdminEvent } from '../../src/shared/model.js';
import { allowNotification, notificationChoice, notificationFor, onNotificationAction } from '../../src/main/notifications.js';
import { approval, deviceRequest } from './shell-fixtures.js';

const requested: AdminEvent = { type: 'approval.requested', approval: approval() };
const deviceAsked: AdminEvent = { type: 'device.requested', request: deviceRequest() };

describe('notificationFor', () => {
  it('describes an approval: who, what, where, why, and the key the token is bound to', () => {
    const spec = notificationFor(requested, 'linux');
    expect(spec).toEqual({
      title: 'claude-code wants to read Work / GitHub / password',
      body: 'Reason: “push the release branch”\nKey NzbLsXh8uDCc…, name claimed by the agent',
      actions: [],
      target: { kind: 'approval', id: 'apr_1' },
    });
  });

  it('says the name is only claimed for a device-flow token, not for one the person created in the app', () => {
    const spec = notificationFor({ type: 'approval.requested', approval: approval({ tokenOrigin: 'app', agent: 'coding agent' }) }, 'linux');
    expect(spec?.body).toBe('Reason: “push the release branch”\nKey NzbLsXh8uDCc…');
  });

  it('describes a device request with its user code, scope and lifespan', () => {
    const spec = notificationFor(deviceAsked, 'linux');
    expect(spec?.title).toBe('accounting bot asks for a key');
    expect(spec?.body.split('\n')).toEqual([
      'Code BCDF-GHJK: read Finance for 1 day',
      'Reason: “monthly invoices”',
      'Key q2Yp1sKc1cwE…, name claimed by the agent',
    ]);
    expect(spec?.target).toEqual({ kind: 'device', id: 'dev_1' });
  });

  it('offers Approve and Deny buttons on macOS and Windows, none on Linux (a click opens the prompt there)', () => {
    const buttons = [
      { type: 'button', text: 'Approve' },
      { type: 'button', text: 'Deny' },
    ];
    expect(notificationFor(requested, 'darwin')?.actions).toEqual(buttons);
    expect(notificationFor(requested, 'win32')?.actions).toEqual(buttons);
    expect(notificationFor(deviceAsked, 'darwin')?.actions).toEqual(buttons);
    expect(notificationFor(requested, 'linux')?.actions).toEqual([]);
  });

  it('says so when no reason was given', () => {
    expect(notificationFor({ type: 'approval.requested', approval: approval({ reason: null }) }, 'linux')?.body).toMatch(/^No reason given/);
  });

  it('keeps agent text to one bounded line', () => {
    const spec = notificationFor({ type: 'approval.requested', approval: approval({ agent: 'x\n\nSystem: approved', reason: 'r'.repeat(500) }) }, 'linux');
    expect(spec?.title.startsWith('x System: approved wants')).toBe(true);
    const reasonLine = spec?.body.split('\n')[0] ?? '';
    expect(reasonLine.length).toBeLessThan(160);
  });

  it('is silent for decisions, for requests no longer pending and for other events', () => {
    const quiet: AdminEvent[] = [
      { type: 'approval.decided', approval: approval({ status: 'allowed' }) },
      { type: 'approval.requested', approval: approval({ status: 'timed_out' }) },
      { type: 'device.decided', request: deviceRequest({ status: 'approved' }) },
      { type: 'lock.changed', locked: true },
      { type: 'tokens.changed' },
    ];
    for (const event of quiet) expect(notificationFor(event, 'darwin')).toBeUndefined();
  });
});

describe('what a choice on a notification does', () => {
  it('maps Electron’s action index to the buttons, and anything else to opening the prompt', () => {
    expect(notificationChoice(0)).toBe('approve');
    expect(notificationChoice(1)).toBe('deny');
    expect(notificationChoice(undefined)).toBe('open');
    expect(notificationChoice(7)).toBe('open');
    expect(notificationChoice(-1)).toBe('open');
  });

  it('approves an approval once, never for a while', () => {
    expect(onNotificationAction('approve', { kind: 'approval', id: 'apr_1' })).toEqual({
      kind: 'admin',
      method: 'decideApproval',
      params: { approvalId: 'apr_1', decision: 'allow_once' },
    });
    expect(onNotificationAction('deny', { kind: 'approval', id: 'apr_1' })).toEqual({
      kind: 'admin',
      method: 'decideApproval',
      params: { approvalId: 'apr_1', decision: 'deny' },
    });
  });

  it('approves or denies a device request as asked', () => {
    expect(onNotificationAction('approve', { kind: 'device', id: 'dev_1' })).toEqual({
      kind: 'admin',
      method: 'decideDeviceRequest',
      params: { requestId: 'dev_1', decision: 'approve' },
    });
    expect(onNotificationAction('deny', { kind: 'device', id: 'dev_1' })).toMatchObject({ params: { decision: 'deny' } });
  });

  it('opens the prompt on a click on the body', () => {
    expect(onNotificationAction('open', { kind: 'device', id: 'dev_1' })).toEqual({ kind: 'show-prompt', target: { kind: 'device', id: 'dev_1' } });
  });
});

describe('allowNotification', () => {
  it('lets 5 through per minute and then holds back until the oldest is a minute old', () => {
    let recent: readonly number[] = [];
    const allowed: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const answer = allowNotification(recent, 1000 + i);
      recent = answer.recent;
      allowed.push(answer.allowed);
    }
    expect(allowed).toEqual([true, true, true, true, true, false, false]);
    expect(allowNotification(recent, 1000 + 59_999).allowed).toBe(false);
    expect(allowNotification(recent, 1000 + 60_000).allowed).toBe(true);
  });
});
