/** Params of the audit and audit-out methods. Hosts, URLs, ranges and paths are checked by the engine's audit-out checks. */
import { z } from 'zod';
import { ACTOR_KINDS, AUDIT_OUTCOMES } from '../model.js';
import { AUDIT_EXPORT_FORMATS, SYSLOG_TRANSPORTS } from '../model/audit-out.js';
import { empty, granted, grantedOnly, opt, text } from './fields.js';

// Strict: an unknown filter must be refused, not dropped, or the answer would hold rows the person filtered out.
const filterShape = {
  agent: z.string().optional(),
  tokenId: z.string().optional(),
  vaultId: z.string().optional(),
  action: z.string().optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  actor: z.enum(ACTOR_KINDS).optional(),
  since: z.number().optional(),
  until: z.number().optional(),
  reasonContains: z.string().optional(),
};
const auditQuery = z.strictObject({ ...filterShape, beforeSeq: z.number().optional(), limit: z.number().optional() });

const exportRequest = {
  format: z.enum(AUDIT_EXPORT_FORMATS),
  fromSeq: z.number().optional(),
  toSeq: z.number().optional(),
  filter: z.strictObject(filterShape).optional(),
};

const httpSink = { url: z.string(), batchSize: opt(z.number()), caPem: opt(z.string()) };
const sinkConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('syslog'), transport: z.enum(SYSLOG_TRANSPORTS), host: z.string(), port: z.number(), facility: opt(z.number()), caPem: opt(z.string()) }),
  z.object({ kind: z.literal('splunk_hec'), ...httpSink, index: opt(z.string()), sourcetype: opt(z.string()) }),
  z.object({ kind: z.literal('webhook'), ...httpSink }),
]);

const sinkInput = z.object({
  name: z.string(),
  config: sinkConfig,
  credential: opt(z.string()),
  startAt: opt(z.enum(['now', 'oldest'])),
  enabled: opt(z.boolean()),
});

const sinkChanges = z.object({ name: opt(z.string()), config: opt(sinkConfig), credential: opt(z.string()), enabled: opt(z.boolean()) });

const retentionLimit = z
  .number()
  .nullish()
  .transform((v) => v ?? null);

export const auditSchemas = {
  queryAudit: auditQuery,
  verifyAudit: empty,
  exportAudit: z.object({ ...granted, ...exportRequest, path: text }),
  downloadAuditExport: z.object(exportRequest),
  verifyAuditExport: z.object({ path: text }),
  listAuditSinks: empty,
  addAuditSink: z.object({ ...granted, sink: sinkInput }),
  updateAuditSink: z.object({ ...granted, sinkId: text, changes: sinkChanges }),
  removeAuditSink: z.object({ ...granted, sinkId: text }),
  testAuditSink: z.object({ sinkId: text }),
  getAuditRetention: empty,
  setAuditRetention: z.object({ ...granted, keepDays: retentionLimit, keepRows: retentionLimit }),
  runAuditRetention: grantedOnly,
};
