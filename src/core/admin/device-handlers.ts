import { VkError } from '../../shared/errors.js';
import { TOKEN_ACTIONS, type TokenAction } from '../../shared/model.js';
import type { DeviceFlow } from '../agent/agent-services.js';
import type { Handlers } from './admin-service.js';
import { obj, optNum, optStr, str, type Params } from './params.js';

type DeviceMethods = 'listDeviceRequests' | 'decideDeviceRequest';

/** Admin API for agent-initiated requests. Deciding is a grant (ADMIN_METHODS); the service checks that before these run. */
export function deviceHandlers(device: DeviceFlow): Handlers<DeviceMethods> {
  return {
    listDeviceRequests: async (p) => device.list(listStatus(p)),
    decideDeviceRequest: async (p) => {
      const decision = str(p, 'decision');
      if (decision !== 'approve' && decision !== 'deny') throw new VkError('invalid_request', '`decision` must be approve or deny');
      const narrowed = p['narrowed'] === undefined || p['narrowed'] === null ? undefined : narrowing(obj(p, 'narrowed'));
      return device.decide(str(p, 'requestId'), decision, narrowed);
    },
  };
}

/** `pending` (the default: what needs an answer) or `all`. */
export function listStatus(p: Params): 'pending' | 'all' {
  const status = optStr(p, 'status') ?? 'pending';
  if (status !== 'pending' && status !== 'all') throw new VkError('invalid_request', '`status` must be pending or all');
  return status;
}

const MAX_NARROWED_VAULTS = 256;

function narrowing(n: Params): { vaults?: readonly string[]; actions?: readonly TokenAction[]; lifespanSeconds?: number } {
  const vaults = optStrings(n, 'vaults', MAX_NARROWED_VAULTS);
  const actions = optStrings(n, 'actions', TOKEN_ACTIONS.length);
  if (actions?.some((a) => !(TOKEN_ACTIONS as readonly string[]).includes(a))) throw new VkError('invalid_request', '`narrowed.actions` may hold only read and use');
  const lifespanSeconds = optNum(n, 'lifespanSeconds');
  return {
    ...(vaults === undefined ? {} : { vaults }),
    ...(actions === undefined ? {} : { actions: actions as TokenAction[] }),
    ...(lifespanSeconds === undefined ? {} : { lifespanSeconds }),
  };
}

function optStrings(p: Params, name: string, max: number): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > max || !v.every((s) => typeof s === 'string' && s.length > 0)) {
    throw new VkError('invalid_request', `\`narrowed.${name}\` must be an array of at most ${max} non-empty strings`);
  }
  return v as string[];
}
