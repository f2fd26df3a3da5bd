/**
 * The shell's behaviour against a real engine (real SQLite, real grant guard): tray clicks reach
 * the engine as a person, engine events drive prompts, notifications and the tray. Electron is
 * replaced only at the ports: windows, notifications and files are recorded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminDispatcher, AdminMethod, CallContext } from '../../src/shared/admin-api.js';
import { VkError } from '../../src/shared/errors.js';
import { DEFAULT_DESKTOP_SETTINGS, type DesktopSettings } from '../../src/main/desktop-settings.js';
import type { NotificationSpec } from '../../src/main/notifications.js';
import { engineLocker, startAutoLock } from '../../src/main/auto-lock.js';
import { createPersonCaller } from '../../src/main/person-caller.js';
import type { PromptTarget } from '../../src/main/prompt-target.js';
import { ShellController, type ShellPorts } from '../../src/main/shell-controller.js';
import type { GrantGate } from '../../src/main/touch-id.js';
import type { AlertNotification } from '../../src/main/alert-notifications.js';
import type { TrayItem } from '../../src/main/tray-menu.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';
import { approval, deviceRequest } from './shell-fixtures.js';

class RecordingPorts implements ShellPorts {
  tray: readonly TrayItem[] = [];
  badgeCount = -1;
  readonly shown: { target: PromptTarget; automatic: boolean }[] = [];
  readonly closed: PromptTarget[] = [];
  readonly notified: NotificationSpec[] = [];
  readonly alerts: AlertNotification[] = [];
  readonly unnotified: PromptTarget[] = [];
  readonly reports: { title: string; message: string }[] = [];
  readonly saved: DesktopSettings[] = [];
  readonly loginItem: boolean[] = [];
  readonly main: (string | undefined)[] = [];
  quits = 0;
  refuseLoosening = false;

  renderTray(items: readonly TrayItem[], badge: { count: number }): void {
    this.tray = items;
    this.badgeCount = badge.count;
  }
  showMain(route: string | undefined): void {
    this.main.push(route);
  }
  showPrompt(target: PromptTarget, automatic: boolean): void {
    this.shown.push({ target, automatic });
  }
  closePrompt(target: PromptTarget): void {
    this.closed.push(target);
  }
  notify(spec: NotificationSpec): void {
    this.notified.push(spec);
  }
  notifyAlert(alert: AlertNotification): void {
    this.alerts.push(alert);
  }
  closeNotification(target: PromptTarget): void {
    this.unnotified.push(target);
  }
  async confirmLoosening(): Promise<void> {
    if (this.refuseLoosening) throw new VkError('grant_required', 'Touch ID was not confirmed');
  }
  applyLaunchAtLogin(enabled: boolean): void {
    this.loginItem.push(enabled);
  }
  saveSettings(settings: DesktopSettings): void {
    this.saved.push(settings);
  }
  quit(): void {
    this.quits++;
  }
  report(title: string, message: string): void {
    this.reports.push({ title, message });
  }

  labels(): string[] {
    const walk = (items: readonly TrayItem[]): string[] =>
      items.flatMap((i) => (i.kind === 'separator' ? [] : i.kind === 'submenu' ? [i.label, ...walk(i.items)] : [i.label]));
    return walk(this.tray);
  }
}

const openGate: GrantGate = async () => {};
const refusingGate: GrantGate = async () => {
  throw new VkError('grant_required', 'Touch ID was not confirmed');
};

function controllerFor(dispatch: AdminDispatcher, gate: GrantGate = openGate, platform: NodeJS.Platform = 'linux') {
  const ports = new RecordingPorts();
  const controller = new ShellController({
    dispatch,
    person: createPersonCaller(dispatch, gate),
    ports,
    settings: DEFAULT_DESKTOP_SETTINGS,
    platform,
    touchIdAvailable: false,
  });
  return { ports, controller };
}

/** Lets the refresh an event started finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('ShellController with a real engine', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('shows the engine’s state in the tray', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch);
    await controller.refresh();
    expect(ports.labels()).toEqual(expect.arrayContaining(['Valetkey: unlocked', 'Lock now', 'Pause all agents']));
    expect(ports.badgeCount).toBe(0);
  });

  it('pauses and resumes agents from the tray; resuming is a grant the tray click carries as a person', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch);
    await controller.handleTrayAction({ type: 'pause' });
    expect((await t.admin.status({})).agentsPaused).toBe(true);
    expect(ports.labels()).toContain('Resume agents');

    // The same resume without a person (the CLI with no passphrase) is refused...
    await expect(t.admin.resumeAgents({})).rejects.toMatchObject({ code: 'grant_required' });
    // ...and from the tray it goes through, audited as the person's act over IPC.
    await controller.handleTrayAction({ type: 'resume' });
    expect((await t.admin.status({})).agentsPaused).toBe(false);
    expect(ports.labels()).toContain('Pause all agents');
    expect(ports.reports).toEqual([]);
    const rows = (await t.admin.queryAudit({ action: 'agents.resume' })).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'person', outcome: 'ok', detail: { via: 'ipc' } });
  });

  it('keeps agents paused and says why when the grant gate (Touch ID) refuses Resume', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch, refusingGate, 'darwin');
    await controller.handleTrayAction({ type: 'pause' });
    await controller.handleTrayAction({ type: 'resume' });
    expect((await t.admin.status({})).agentsPaused).toBe(true);
    expect(ports.reports).toHaveLength(1);
    expect(ports.reports[0]?.message).toContain('Touch ID was not confirmed');
    expect((await t.admin.queryAudit({ action: 'agents.resume' })).rows).toHaveLength(0);
  });

  it('locks from the tray, then offers Unlock… instead', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch);
    await controller.handleTrayAction({ type: 'lock' });
    expect((await t.admin.status({})).locked).toBe(true);
    expect(controller.locked).toBe(true);
    expect(ports.labels()).toContain('Unlock…');
    expect(ports.labels()).not.toContain('Lock now');
  });

  it('follows the engine’s events: a lock from elsewhere (the CLI) shows in the tray', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch);
    await controller.refresh();
    const unsubscribe = t.engine.subscribe((e) => controller.handleEvent(e));
    await t.admin.lock({});
    await settle();
    expect(ports.labels()).toContain('Unlock…');
    expect(controller.locked).toBe(true);
    unsubscribe();
  });
});

describe('ShellController and requests waiting for the person', () => {
  function recording(answer: (method: AdminMethod) => unknown = () => []) {
    const calls: { method: AdminMethod; params: unknown; ctx: CallContext }[] = [];
    const dispatch: AdminDispatcher = async (method, params, ctx) => {
      calls.push({ method, params, ctx });
      if (method === 'status') return { locked: false, agentsPaused: false };
      return answer(method);
    };
    return { calls, dispatch };
  }

  it('opens a prompt (without focus) and a notification for each new request, and closes both when decided', async () => {
    const { dispatch } = recording();
    const { ports, controller } = controllerFor(dispatch);
    controller.handleEvent({ type: 'approval.requested', approval: approval({ id: 'apr_1' }) });
    controller.handleEvent({ type: 'device.requested', request: deviceRequest({ id: 'dev_1' }) });
    expect(ports.shown).toEqual([
      { target: { kind: 'approval', id: 'apr_1' }, automatic: true },
      { target: { kind: 'device', id: 'dev_1' }, automatic: true },
    ]);
    expect(ports.notified.map((n) => n.target)).toEqual([
      { kind: 'approval', id: 'apr_1' },
      { kind: 'device', id: 'dev_1' },
    ]);
    controller.handleEvent({ type: 'approval.decided', approval: approval({ id: 'apr_1', status: 'timed_out' }) });
    expect(ports.closed).toEqual([{ kind: 'approval', id: 'apr_1' }]);
    expect(ports.unnotified).toEqual([{ kind: 'approval', id: 'apr_1' }]);
    await settle();
  });

  it('shows the pending requests in the tray with a badge count', async () => {
    const { dispatch } = recording((m) => (m === 'listApprovals' ? [approval({ id: 'a' }), approval({ id: 'b' })] : [deviceRequest()]));
    const { ports, controller } = controllerFor(dispatch);
    await controller.refresh();
    expect(ports.badgeCount).toBe(3);
    expect(ports.labels()).toContain('Waiting for you');
  });

  it('holds back notifications past 5 a minute in a flood, while every prompt request still reaches the window manager', () => {
    const { dispatch } = recording();
    const { ports, controller } = controllerFor(dispatch);
    for (let i = 0; i < 12; i++) controller.handleEvent({ type: 'approval.requested', approval: approval({ id: `apr_${i}` }) });
    expect(ports.notified).toHaveLength(5);
    expect(ports.shown).toHaveLength(12);
  });

  it('decides from a notification button as a person, through the grant gate', async () => {
    const { calls, dispatch } = recording();
    const { controller } = controllerFor(dispatch);
    await controller.handleNotification({ kind: 'approval', id: 'apr_1' }, 0);
    await controller.handleNotification({ kind: 'device', id: 'dev_1' }, 1);
    const decisions = calls.filter((c) => c.method.startsWith('decide'));
    expect(decisions).toEqual([
      { method: 'decideApproval', params: { approvalId: 'apr_1', decision: 'allow_once' }, ctx: { via: 'ipc', personPresent: true } },
      { method: 'decideDeviceRequest', params: { requestId: 'dev_1', decision: 'deny' }, ctx: { via: 'ipc', personPresent: true } },
    ]);
  });

  it('sends nothing when the gate refuses a notification’s Approve, and says so', async () => {
    const { calls, dispatch } = recording();
    const { ports, controller } = controllerFor(dispatch, refusingGate, 'darwin');
    await controller.handleNotification({ kind: 'approval', id: 'apr_1' }, 0);
    expect(calls.filter((c) => c.method === 'decideApproval')).toEqual([]);
    expect(ports.reports[0]?.title).toBe('The request was not decided');
  });

  it('opens the prompt, focused, for a click on a notification or a tray line', async () => {
    const { calls, dispatch } = recording();
    const { ports, controller } = controllerFor(dispatch);
    await controller.handleNotification({ kind: 'device', id: 'dev_1' }, undefined);
    await controller.handleTrayAction({ type: 'open-approval', approvalId: 'apr_2' });
    expect(ports.shown).toEqual([
      { target: { kind: 'device', id: 'dev_1' }, automatic: false },
      { target: { kind: 'approval', id: 'apr_2' }, automatic: false },
    ]);
    expect(calls.filter((c) => c.method.startsWith('decide'))).toEqual([]);
  });

  it('the shell’s own reads carry no person', async () => {
    const { calls, dispatch } = recording();
    const { controller } = controllerFor(dispatch);
    await controller.refresh();
    expect(calls.map((c) => c.method).sort()).toEqual(['listApprovals', 'listDeviceRequests', 'status']);
    expect(calls.every((c) => c.ctx.personPresent === false)).toBe(true);
  });

  it('shows "the engine is not running" when it does not answer', async () => {
    const { ports, controller } = controllerFor(async () => Promise.reject(new VkError('engine_unreachable')));
    await controller.refresh();
    expect(ports.labels()[0]).toBe('Valetkey: the engine is not running');
  });
});

describe('ShellController settings and quitting', () => {
  const idle: AdminDispatcher = async (method) => (method === 'status' ? { locked: false, agentsPaused: false } : []);

  it('saves a change, switches the login item, and shows the new value', async () => {
    const { ports, controller } = controllerFor(idle);
    await controller.handleTrayAction({ type: 'settings', change: { launchAtLogin: true } });
    expect(ports.loginItem).toEqual([true]);
    expect(ports.saved).toEqual([{ ...DEFAULT_DESKTOP_SETTINGS, launchAtLogin: true }]);
    expect(controller.settings.launchAtLogin).toBe(true);
    await controller.handleTrayAction({ type: 'settings', change: { autoLockMinutes: 5 } });
    expect(ports.loginItem).toEqual([true]);
    expect(controller.settings).toEqual({ ...DEFAULT_DESKTOP_SETTINGS, launchAtLogin: true, autoLockMinutes: 5 });
  });

  it('keeps the old settings when a loosening is not confirmed', async () => {
    const { ports, controller } = controllerFor(idle);
    ports.refuseLoosening = true;
    await controller.handleTrayAction({ type: 'settings', change: { autoLockMinutes: 0 } });
    expect(ports.saved).toEqual([]);
    expect(controller.settings).toEqual(DEFAULT_DESKTOP_SETTINGS);
    expect(ports.reports[0]?.title).toBe('The setting was not changed');
  });

  it('quits, and opens the Approvals page for "N more…"', async () => {
    const { ports, controller } = controllerFor(idle);
    await controller.handleTrayAction({ type: 'open-approvals' });
    await controller.handleTrayAction({ type: 'open' });
    await controller.handleTrayAction({ type: 'quit' });
    expect(ports.main).toEqual(['/approvals', undefined]);
    expect(ports.quits).toBe(1);
  });
});

describe('auto-lock against a real engine', () => {
  it('locks the engine when idle passes the limit, as the shell (no person), and the tray follows', async () => {
    const t = await openTestEngine();
    try {
      const { ports, controller } = controllerFor(t.service.dispatch);
      await controller.refresh();
      const unsubscribe = t.engine.subscribe((e) => controller.handleEvent(e));
      let tick = (): void => {};
      const stop = startAutoLock({
        power: { idleSeconds: () => 16 * 60, screenLocked: () => false, onSuspend: () => () => {}, onLockScreen: () => () => {} },
        settings: () => controller.settings,
        isLocked: () => controller.locked,
        lock: engineLocker(t.service.dispatch),
        every: (_ms, fn) => ((tick = fn), () => {}),
      });
      tick();
      await settle();
      expect((await t.admin.status({})).locked).toBe(true);
      expect(ports.labels()).toContain('Unlock…');
      const rows = (await t.admin.queryAudit({ action: 'engine.lock' })).rows;
      expect(rows.map((r) => r.detail)).toEqual([{ via: 'ipc' }]);
      stop();
      unsubscribe();
    } finally {
      await t.close();
    }
  });
});

describe('a device request through the real engine', () => {
  it('raises a prompt and a notification; Approve on the notification approves it as a person, and the prompt closes', async () => {
    const t = await openTestEngine();
    try {
      const { ports, controller } = controllerFor(t.service.dispatch);
      const unsubscribe = t.engine.subscribe((e) => controller.handleEvent(e));
      const vault = await t.admin.createVault({ vault: { name: 'Finance' }, grant: t.grant });
      await t.engine.device.start({
        clientId: 'accounting-bot',
        jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
        scope: `vault:${vault.id}:read`,
        lifespanSeconds: 3600,
        reason: 'monthly invoices',
      });
      await settle();
      const [request] = await t.admin.listDeviceRequests({ status: 'pending' });
      if (request === undefined) throw new Error('no pending request');
      const target = { kind: 'device', id: request.id } as const;
      expect(ports.shown).toEqual([{ target, automatic: true }]);
      expect(ports.notified[0]?.body).toContain(`Code ${request.userCode}: read Finance for 1 hour`);
      expect(ports.badgeCount).toBe(1);

      // The CLI without a passphrase may not approve; the notification's button may.
      await expect(t.admin.decideDeviceRequest({ requestId: request.id, decision: 'approve' })).rejects.toMatchObject({ code: 'grant_required' });
      await controller.handleNotification(target, 0);
      await settle();
      expect((await t.admin.listDeviceRequests({ status: 'all' })).find((r) => r.id === request.id)?.status).toBe('approved');
      expect(ports.closed).toEqual([target]);
      expect(ports.unnotified).toEqual([target]);
      expect(ports.badgeCount).toBe(0);
      expect(ports.reports).toEqual([]);
      unsubscribe();
    } finally {
      await t.close();
    }
  });
});

describe('tripwire alerts on the desktop', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  async function alertFor(tokenId: string, done: string) {
    return t.engine.audit({ actor: 'engine', action: 'alert.burst', outcome: 'ok', agent: 'report-bot', tokenId, reason: 'nightly sync', detail: { rule: 'burst', done, accessesLastMinute: 90 } });
  }

  it('notifies each alert with Revoke and Pause on macOS; Pause on it pauses the token, Revoke revokes it, as a person', async () => {
    const vault = await t.admin.createVault({ grant: t.grant, vault: { name: 'Ops' } });
    const { token } = await t.admin.createToken({ grant: t.grant, token: { name: 'report-bot', vaults: [vault.id], actions: ['read'], lifespanSeconds: 3600 } });
    const { ports, controller } = controllerFor(t.service.dispatch, refusingGate, 'darwin');
    const row = await alertFor(token.id, 'alerted');
    controller.handleEvent({ type: 'audit.appended', rows: [row] });
    expect(ports.alerts).toEqual([
      {
        title: 'report-bot made 90 accesses in a minute',
        body: 'The access went through; only you were told. Its reason: “nightly sync”.',
        actions: [
          { type: 'button', text: 'Revoke' },
          { type: 'button', text: 'Pause' },
        ],
        tokenId: token.id,
        seq: row.seq,
      },
    ]);
    const [alert] = ports.alerts;
    if (alert === undefined) throw new Error('no alert');
    // Pausing and revoking only make things safer: even a refusing grant gate lets them through.
    await controller.handleAlertNotification(alert, 1);
    expect((await t.admin.listTokens({})).find((x) => x.id === token.id)?.tripwires?.paused).toBe(true);
    await controller.handleAlertNotification(alert, 0);
    expect((await t.admin.listTokens({})).find((x) => x.id === token.id)?.status).toBe('revoked');
    expect(ports.reports).toEqual([]);
    const rows = (await t.admin.queryAudit({ tokenId: token.id })).rows.map((r) => [r.action, r.actor, r.detail?.['via'] ?? null]);
    expect(rows).toEqual(expect.arrayContaining([['token.pause', 'person', 'ipc'], ['token.revoke', 'person', null]]));
  });

  it('opens the Alerts page for a click on the body, and on Linux (no buttons); a revoked token gets no buttons', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch, openGate, 'linux');
    controller.handleEvent({ type: 'audit.appended', rows: [await alertFor('tok-1', 'alerted')] });
    expect(ports.alerts[0]?.actions).toEqual([]);
    await controller.handleAlertNotification(ports.alerts[0] as AlertNotification, undefined);
    expect(ports.main).toEqual(['/alerts']);

    const mac = controllerFor(t.service.dispatch, openGate, 'darwin');
    mac.controller.handleEvent({ type: 'audit.appended', rows: [await alertFor('tok-2', 'revoked')] });
    expect(mac.ports.alerts[0]?.actions).toEqual([]);
  });

  it('ignores audit rows that are not alerts', async () => {
    const { ports, controller } = controllerFor(t.service.dispatch, openGate, 'darwin');
    const row = await t.engine.audit({ actor: 'agent', action: 'secret.read', outcome: 'allowed', tokenId: 'tok-1' });
    controller.handleEvent({ type: 'audit.appended', rows: [row] });
    expect(ports.alerts).toEqual([]);
  });
});
