import type { DeviceFlow } from '../agent/agent-services.js';
import type { Handlers } from './admin-service.js';

type DeviceMethods = 'listDeviceRequests' | 'decideDeviceRequest';

/** Admin API for agent-initiated requests. Deciding is a grant (ADMIN_METHODS); the service checks that before these run. */
export function deviceHandlers(device: DeviceFlow): Handlers<DeviceMethods> {
  return {
    // `pending` by default: what needs an answer.
    listDeviceRequests: async (p) => device.list(p.status ?? 'pending'),
    decideDeviceRequest: async (p) => device.decide(p.requestId, p.decision, p.narrowed),
  };
}
