/**
 * What the daemon starts for audit out: the live sinks, and retention on a timer (at start, then
 * hourly) when a policy is set and the engine key is there to sign the archive. A scheduled run
 * that fails (locked, disk full, a broken chain) is logged and tried again next time.
 */
import { isVkError } from '../../shared/errors.js';
import type { AuditOutEngine } from './audit-out-engine.js';
import { runAuditRetention } from './audit-retention.js';
import { readRetentionPolicy } from './retention-policy.js';
import { startAuditSinks, type SinkRunnerOptions } from './sink-runner.js';

export interface AuditOutOptions extends SinkRunnerOptions {
  readonly retentionEveryMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningAuditOut {
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

export function startAuditOut(engine: AuditOutEngine, options: AuditOutOptions = {}): RunningAuditOut {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sinks = startAuditSinks(engine, options);
  let retention: Promise<unknown> = Promise.resolve();
  const scheduled = () => {
    const policy = readRetentionPolicy(engine.db, engine.seal);
    if ((policy.keepDays === null && policy.keepRows === null) || engine.signer === undefined) return;
    retention = runAuditRetention(engine, 'engine', 'schedule').then(
      (run) => {
        if (run.deleted > 0) log(`valetkey: audit retention archived and deleted rows ${run.archive?.fromSeq ?? '?'} to ${run.anchorSeq ?? '?'}`);
      },
      (e: unknown) => log(`valetkey: audit retention did not run: ${isVkError(e) ? e.code : 'unexpected error'}`),
    );
  };
  const first = setTimeout(scheduled, 1000);
  const timer = setInterval(scheduled, options.retentionEveryMs ?? HOUR_MS);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await retention;
      await sinks.stop();
    },
  };
}
