/**
 * POST /v1/fetch (docs/design.md §5, "use without exposure"): `{ request: { method, url, headers?, body? },
 * reason }` with `{{vk://vault/entry/field}}` placeholders. The engine fills them in, sends the
 * request, and answers with the target's response, every substituted value redacted.
 *
 * Order: authenticate; reason; parse the request; each reference against the scope (`use` or
 * `read`); the destination against the allowed hosts of EVERY entry named (before any value is
 * read and before any network I/O, so a refusal sends nothing anywhere); approvals, as for
 * resolve; values read and filled in; the `secret.use` rows COMMITTED; only then is the request sent.
 */
import { parseFetchRequest } from '../fetch/fetch-request.js';
import { authenticate } from './authenticate.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { checkReason, offeredReason } from './oauth-params.js';
import { performFetch } from './perform-fetch.js';
import type { RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';

export async function fetchRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  r.trail.offeredReason = offeredReason(input.reason);
  const auth = await authenticate(r, { deferUse: true });
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  const { request } = await parseBody('fetch', input);
  sendOk(r, await performFetch(r, auth, parseFetchRequest(request), reason));
}
