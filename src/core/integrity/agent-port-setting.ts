/**
 * The agent endpoint's port, chosen at set-up and kept in settings: it names the issuer of every
 * token and is where agents connect. An agent that rewrites it moves the engine off the port its
 * agents know, so it can listen there itself. The value carries a MAC; one that fails is reported
 * and agents stay paused until the person resumes them (a grant, which also re-signs the port).
 */
import { createServer, type AddressInfo } from 'node:net';
import { SETTING, type Settings } from '../config/settings.js';
import type { RowSeal } from './row-seal.js';

const fields = (value: string): [string] => [value];

/** A port no one listens on now, on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Stores the port with its MAC (set-up, and a person's resume after a failed check). */
export function putAgentPort(settings: Settings, seal: RowSeal, port: string): void {
  settings.putMany({ [SETTING.agentPort]: port, [SETTING.agentPortMac]: seal.sign('settings', SETTING.agentPort, fields(port)) });
}

/** Whether the stored port is the one the engine signed; a failure is reported (once) by the seal. */
export function checkedAgentPort(settings: Settings, seal: RowSeal): boolean {
  const value = settings.get(SETTING.agentPort);
  return value === undefined || seal.valid('settings', SETTING.agentPort, fields(value), settings.get(SETTING.agentPortMac) ?? null);
}

/** Gives a port an older Valetkey stored its MAC (the one-time step at the first unlock). */
export function sealAgentPort(settings: Settings, seal: RowSeal): number {
  const value = settings.get(SETTING.agentPort);
  if (value === undefined || settings.get(SETTING.agentPortMac) !== undefined) return 0;
  putAgentPort(settings, seal, value);
  return 1;
}
