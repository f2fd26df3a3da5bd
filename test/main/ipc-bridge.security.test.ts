import { describe, expect, it } from 'vitest';
import { fileAppOrigin } from '../../src/main/app-origin.js';
import { adminChannel, registerAdminIpc, type InvokeEventLike } from '../../src/main/ipc-bridge.js';
import { FakeIpcMain, subFrame, topFrame } from './fake-ipc-main.js';

const ORIGIN = fileAppOrigin('file:///app/out/renderer');
const PAGE = 'file:///app/out/renderer/index.html';

function bridge() {
  const ipc = new FakeIpcMain();
  let dispatched = 0;
  registerAdminIpc(
    ipc,
    async () => {
      dispatched++;
      return { session: 'must not leave' };
    },
    ORIGIN,
  );
  return { ipc, dispatchCount: () => dispatched };
}

describe('ipc bridge refuses untrusted senders before dispatch', () => {
  const untrusted: ReadonlyArray<readonly [string, InvokeEventLike]> = [
    ['a foreign origin in the top frame', topFrame('https://evil.example/')],
    ['our page inside a subframe', subFrame(PAGE)],
    ['a foreign subframe', subFrame('https://evil.example/frame')],
    ['another local file', topFrame('file:///tmp/evil.html')],
    ['a destroyed frame', { senderFrame: null }],
  ];

  it.each(untrusted)('refuses %s with forbidden_origin', async (_name, event) => {
    const { ipc, dispatchCount } = bridge();
    const answer = await ipc.invoke(adminChannel('openGrantSession'), event, { passphrase: 'x' });
    expect(answer).toMatchObject({ ok: false, error: { error: 'forbidden_origin' } });
    expect(JSON.stringify(answer)).not.toContain('must not leave');
    expect(dispatchCount()).toBe(0);
  });
});

describe('ipc bridge refuses malformed calls before dispatch', () => {
  it.each([
    ['no params', []],
    ['two arguments', [{}, {}]],
    ['an array', [[1, 2]]],
    ['a string', ['status']],
    ['null', [null]],
    ['a class instance', [new Date()]],
  ])('refuses %s with invalid_request', async (_name, args) => {
    const { ipc, dispatchCount } = bridge();
    const answer = await ipc.invoke(adminChannel('status'), topFrame(PAGE), ...(args as unknown[]));
    expect(answer).toMatchObject({ ok: false, error: { error: 'invalid_request' } });
    expect(dispatchCount()).toBe(0);
  });

  it('accepts the same call from our top frame (the refusals above are not vacuous)', async () => {
    const { ipc, dispatchCount } = bridge();
    const answer = await ipc.invoke(adminChannel('status'), topFrame(PAGE), {});
    expect(answer).toMatchObject({ ok: true });
    expect(dispatchCount()).toBe(1);
  });
});
