/** Every admin API handler of audit out (exports, sinks, retention), for AdminService. */
import type { Engine } from '../engine.js';
import { exportHandlers } from './export-handlers.js';
import { sinkHandlers } from './sink-handlers.js';

export function auditOutHandlers(engine: Engine) {
  return { ...exportHandlers(engine), ...sinkHandlers(engine) };
}
