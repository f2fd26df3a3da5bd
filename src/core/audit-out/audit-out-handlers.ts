/** Every admin API handler of audit out (exports, sinks, retention), for AdminService. */
import type { AuditOutEngine } from './audit-out-engine.js';
import { exportHandlers } from './export-handlers.js';
import { sinkHandlers } from './sink-handlers.js';

export function auditOutHandlers(engine: AuditOutEngine) {
  return { ...exportHandlers(engine), ...sinkHandlers(engine) };
}
