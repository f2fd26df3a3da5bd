/**
 * Hands a dropped or chosen file to the engine for an import, the one way each face allows: the
 * desktop app sends its bytes over IPC (`stageUpload`, base64), the browser streams them to the
 * headless dashboard's upload route (JSON bodies there are capped at 64 KiB). Either way the page
 * gets back only an upload id to import by; it never names a path on the engine's machine.
 */
import { UPLOAD_HTTP } from '../../shared/admin-api.js';
import { VkError, fromWire } from '../../shared/errors.js';
import { UPLOAD_LIMITS, type StagedUpload } from '../../shared/model.js';
import { admin, inElectron } from './admin.js';
import { tabHeaders } from './tab-session.js';

export async function stageFile(file: File): Promise<StagedUpload> {
  if (file.size > UPLOAD_LIMITS.maxBytes) throw new VkError('upload_too_large');
  if (inElectron) return admin.stageUpload({ name: file.name, contentBase64: await base64Of(file) });
  return postFile(file);
}

async function postFile(file: File): Promise<StagedUpload> {
  let res: Response;
  try {
    res = await fetch(UPLOAD_HTTP.route, {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      // Header values must be ASCII: the name goes percent-encoded, the server decodes it.
      headers: { ...tabHeaders(), 'content-type': 'application/octet-stream', [UPLOAD_HTTP.nameHeader]: encodeURIComponent(file.name) },
      body: file,
    });
  } catch {
    throw new VkError('engine_unreachable');
  }
  const answer = (await res.json().catch(() => undefined)) as { ok?: unknown; value?: unknown; error?: unknown } | undefined;
  if (answer?.ok === true) return answer.value as StagedUpload;
  if (answer?.ok === false) throw fromWire(answer.error);
  throw new VkError(res.status === 413 ? 'upload_too_large' : res.status === 401 ? 'unauthorized' : 'internal_error');
}

/** The file as base64, read by the browser's own encoder (a data: URL) rather than a loop over bytes. */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new VkError('invalid_request', `${file.name}: the file cannot be read`));
    reader.readAsDataURL(file);
  });
}
