/**
 * Admin API handlers for live sinks. Adding, changing and removing a sink are grants (they decide
 * where the audit stream goes, docs/security.md "Granting is for people"); listing and testing are not.
 * Each person's action is audited, naming the sink, never its credential or URL.
 */
import { VkError } from '../../shared/errors.js';
import type { AuditSinkChanges, AuditSinkInfo, AuditSinkInput, AuditSinkState } from '../../shared/model.js';
import type { AuditOutEngine } from './audit-out-engine.js';
import type { Handlers } from '../admin/admin-service.js';
import { newId } from '../vault/ids.js';
import { readAnchor } from '../audit/audit-anchor.js';
import { checkCredential, checkSinkConfig, checkSinkName, needsCredential } from './sink-config.js';
import { sealSinkCredential } from './sink-credential.js';
import { testSinkOnce } from './sink-runner.js';
import type { SinkChanges, SinkRecord } from './sink-store.js';
import { sinkErrorMessage } from './sink-transport.js';

type SinkMethods = 'listAuditSinks' | 'addAuditSink' | 'updateAuditSink' | 'removeAuditSink' | 'testAuditSink';

export function sinkHandlers(engine: AuditOutEngine): Handlers<SinkMethods> {
  const person = (action: string, sink: SinkRecord, via: string, extra: Record<string, unknown> = {}) =>
    engine.audit({ actor: 'person', action, outcome: 'ok', detail: { via, sinkId: sink.id, name: sink.name, kind: sink.kind, ...extra } });
  return {
    listAuditSinks: async () => engine.auditSinks.list().map((s) => sinkInfo(engine, s)),
    addAuditSink: async (p, ctx) => {
      const sink = engine.auditSinks.insert(await newSink(engine, p.sink));
      await person('audit_sink.add', sink, ctx.via, { enabled: sink.enabled, fromSeq: sink.cursorSeq + 1 });
      return sinkInfo(engine, sink);
    },
    updateAuditSink: async (p, ctx) => {
      const before = engine.auditSinks.find(p.sinkId);
      const changes = sinkChanges(engine, before, p.changes);
      const after = engine.auditSinks.update(before.id, changes);
      await person('audit_sink.update', after, ctx.via, { changed: Object.keys(changes).map((k) => (k === 'sealedCredential' ? 'credential' : k)) });
      return sinkInfo(engine, after);
    },
    removeAuditSink: async (p, ctx) => {
      const sink = engine.auditSinks.find(p.sinkId, true); // removing a tampered sink is how the person cleans up
      engine.auditSinks.remove(sink.id);
      await person('audit_sink.remove', sink, ctx.via);
      return { removed: true };
    },
    testAuditSink: async (p, ctx) => {
      const sink = engine.auditSinks.find(p.sinkId);
      const started = Date.now();
      let error: string | undefined;
      try {
        await testSinkOnce(engine, sink);
      } catch (e) {
        error = sinkErrorMessage(e);
      }
      await person('audit_sink.test', sink, ctx.via, { ok: error === undefined });
      return { ok: error === undefined, milliseconds: Date.now() - started, ...(error !== undefined ? { error } : {}) };
    },
  };
}

/** The schema checked the shape; these checks normalise the name, host and URL and hold the ranges. */
async function newSink(engine: AuditOutEngine, input: AuditSinkInput) {
  const name = checkSinkName(input.name);
  const config = checkSinkConfig(input.config);
  const credential = optionalCredential(input.credential);
  if (needsCredential(config.kind) !== (credential !== undefined)) {
    throw new VkError('invalid_request', needsCredential(config.kind) ? 'this kind of sink needs a credential (HEC token or webhook key)' : 'a syslog sink takes no credential');
  }
  const startAt = input.startAt ?? 'now';
  const enabled = input.enabled ?? true;
  const id = newId();
  await engine.ledger.flush();
  return {
    id,
    name,
    config,
    sealedCredential: credential === undefined ? null : sealSinkCredential(engine.currentKeys().master, id, credential),
    enabled,
    cursorSeq: startAt === 'now' ? engine.ledger.head().seq : oldestCursor(engine),
  };
}

function sinkChanges(engine: AuditOutEngine, before: SinkRecord, raw: AuditSinkChanges): SinkChanges {
  const credential = optionalCredential(raw.credential);
  if (credential !== undefined && !needsCredential(before.kind)) throw new VkError('invalid_request', 'a syslog sink takes no credential');
  const { enabled } = raw;
  const changes: SinkChanges = {
    ...(raw.name !== undefined ? { name: checkSinkName(raw.name) } : {}),
    ...(raw.config !== undefined ? { config: checkSinkConfig(raw.config) } : {}),
    ...(credential !== undefined ? { sealedCredential: sealSinkCredential(engine.currentKeys().master, before.id, credential) } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
  };
  if (Object.keys(changes).length === 0) throw new VkError('invalid_request', 'nothing to change: give name, config, credential or enabled');
  return changes;
}

function optionalCredential(value: string | undefined): string | undefined {
  return value === undefined ? undefined : checkCredential(value);
}

/** Just before the oldest row still in the ledger. */
function oldestCursor(engine: AuditOutEngine): number {
  const lo = engine.ledger.rows.oldestSeq() ?? 1;
  return Math.max(lo - 1, readAnchor(engine.db)?.seq ?? 0);
}

export function sinkInfo(engine: AuditOutEngine, s: SinkRecord): AuditSinkInfo {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    config: s.config,
    enabled: s.enabled,
    hasCredential: s.sealedCredential !== null,
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    health: {
      state: sinkState(engine, s),
      lastDeliveredSeq: s.cursorSeq,
      lastDeliveredAt: iso(s.lastDeliveredAt),
      lag: Math.max(0, engine.ledger.head().seq - s.cursorSeq),
      lastError: s.lastError,
      lastErrorAt: iso(s.lastErrorAt),
    },
  };
}

function sinkState(engine: AuditOutEngine, s: SinkRecord): AuditSinkState {
  if (!s.enabled) return 'disabled';
  if (s.sealedCredential !== null && engine.locked) return 'paused_locked';
  const failing = s.lastErrorAt !== null && (s.lastDeliveredAt === null || s.lastErrorAt > s.lastDeliveredAt);
  return failing ? 'retrying' : 'ok';
}
