/**
 * `POST /dashboard/upload`: the browser dashboard's drag and drop. The body is the dropped file
 * itself (application/octet-stream, with a Content-Length of at most 64 MiB), its name
 * percent-encoded in `x-valetkey-filename`; the engine streams it to a 0600 temp file and answers
 * `{ uploadId, name, bytes, expiresAt }`. Host, Origin and the session cookie are checked before
 * this runs (dashboard-server.ts, dashboard-routes.ts). The browser then names the file only by
 * that id: `previewImport({ upload })`, `runImport({ upload })`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminResult } from '../../shared/admin-api.js';
import { UPLOAD_HTTP } from '../../shared/admin-api.js';
import { VkError } from '../../shared/errors.js';
import { UPLOAD_LIMITS } from '../../shared/model.js';
import { auditStaged } from '../import/upload-handlers.js';
import { decodeUploadName } from '../import/upload-name.js';
import { sendJson } from '../net/listener-checks.js';
import type { Dashboard } from './dashboard-context.js';

const MEDIA_TYPE = 'application/octet-stream';

export async function uploadRoute(d: Dashboard, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const uploads = d.o.uploads;
  if (uploads === undefined) throw new VkError('not_found', 'this dashboard takes no uploads');
  // Whatever is refused before the body is read: the rest of it is not worth reading.
  res.setHeader('Connection', 'close');
  checkMediaType(req.headers['content-type']);
  checkLength(req);
  const name = decodeUploadName(req.headers[UPLOAD_HTTP.nameHeader]);
  const staged = await uploads.stage(name, req);
  await auditStaged(d.o.audit, uploads, staged, 'http');
  res.removeHeader('Connection');
  sendJson(res, 200, { ok: true, value: staged } satisfies AdminResult<unknown>);
}

function checkMediaType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== MEDIA_TYPE) throw new VkError('unsupported_media_type', `the upload route takes the file itself as ${MEDIA_TYPE}`);
}

/** A declared length is required, so a body over the limit is refused before a byte is stored. */
function checkLength(req: IncomingMessage): void {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d{1,12}$/.test(raw)) throw new VkError('invalid_request', 'send the file with a Content-Length header');
  if (Number(raw) > UPLOAD_LIMITS.maxBytes) throw new VkError('upload_too_large');
}
