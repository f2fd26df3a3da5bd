/**
 * Every error Valetkey reports, in one table: a stable code, one HTTP status and one sentence
 * that tells the person (or the agent's author) what to do. Messages are fixed: nothing an
 * attacker sends, and nothing secret, is ever interpolated into them. A detail may be attached
 * for expected user errors (a bad field name), never for crypto or auth failures. For
 * invalid_request the detail, when given, IS the description: it already says what is wrong and
 * what to do, and the generic sentence (written for API clients) would only bury it.
 *
 * OAuth codes (RFC 6749, 6750, 8628, 8693, 9449) are used where one exists; the rest are ours.
 * The README's error table lists every code here, and a test checks that the two agree.
 */
export const ERRORS = {
  // ---- request shape (agent endpoint and admin transports) ----
  invalid_request: { status: 400, message: 'The request is malformed. Check the method, headers and JSON body against docs/tokens.md.' },
  bad_host: { status: 400, message: 'The Host header is missing or repeated. Send exactly one Host header.' },
  forbidden_host: { status: 403, message: 'The Host header does not name this engine on loopback. Connect to 127.0.0.1, localhost or [::1] with the published port.' },
  forbidden_origin: { status: 403, message: 'Requests from web pages are refused. Call Valetkey from a program, not a browser, or allowlist the origin in Settings.' },
  unsupported_media_type: { status: 415, message: 'POST bodies must be application/json.' },
  payload_too_large: { status: 413, message: 'The request body is larger than 64 KiB.' },
  method_not_allowed: { status: 405, message: 'This path does not accept that method.' },
  not_found: { status: 404, message: 'Nothing by that id or name exists. List what there is and check the spelling.' },
  conflict: { status: 409, message: 'Something by that name already exists. Pick another name.' },
  rate_limited: { status: 429, message: 'Too many requests. Wait a minute and try again.' },

  // ---- people, the admin API and grants ----
  unauthorized: { status: 401, message: 'The admin session secret is missing or wrong. Run the CLI as the user who runs Valetkey, or restart the daemon.' },
  grant_required: { status: 403, message: 'This changes who can reach your secrets, so a person must confirm it: give the admin passphrase, or open a grant session with `valetkey unlock`.' },
  passphrase_invalid: { status: 403, message: 'That passphrase is not correct.' },
  passphrase_too_short: { status: 400, message: 'Choose a passphrase of at least 10 characters.' },
  not_initialized: { status: 409, message: 'This Valetkey has not been set up yet. Run `valetkey init` first.' },
  already_initialized: { status: 409, message: 'This Valetkey is already set up. Use a new VALETKEY_HOME for a second one.' },
  already_running: { status: 409, message: 'Another Valetkey engine is already running on this data directory. Stop it, or use another VALETKEY_HOME.' },
  engine_unverified: { status: 503, message: 'The server named in admin.json could not prove it is your Valetkey engine, so the passphrase was not sent. Stop whatever listens there, restart Valetkey (`valetkey daemon`), and try again.' },
  engine_unreachable: { status: 503, message: 'No Valetkey engine answers on this data directory. Start it with `valetkey daemon` (or `npm start`).' },
  dashboard_unavailable: { status: 409, message: 'The engine is not serving the browser dashboard. Start it with `valetkey daemon --headless` (or `npm start` on a machine without Electron).' },

  // ---- keys and storage ----
  keychain_unavailable: { status: 503, message: 'The OS keychain cannot be reached. Start a Secret Service (for example gnome-keyring under a D-Bus session), or choose the passphrase key file with `valetkey init --key-file`.' },
  data_dir_unsafe: { status: 500, message: 'The data directory is not safe to use: it or a file in it is a symbolic link or belongs to another user. Remove what is not yours, or point VALETKEY_HOME at a directory of your own.' },
  key_missing: { status: 500, message: 'The keys for this data directory are not in the keychain or key file. Restore them from your recovery kit with `valetkey recovery restore`.' },
  vault_locked: { status: 423, message: 'Valetkey is locked. Ask the person to unlock it, then retry.' },
  tamper_detected: { status: 403, message: 'A stored record that grants access was changed outside Valetkey, so it grants nothing. Check the status page, then revoke and re-grant what it names.' },
  integrity_error: { status: 500, message: 'A stored value failed its integrity check and was not used. Restore from a backup; do not trust this entry.' },
  invalid_recovery_kit: { status: 400, message: 'The recovery kit cannot be opened with that passphrase, or is not a Valetkey recovery kit.' },
  invalid_backup: { status: 400, message: 'The backup cannot be opened: the passphrase is wrong, or the file is truncated, altered or not a Valetkey backup. Check the passphrase, or restore another copy.' },
  import_invalid: { status: 400, message: 'This file cannot be imported: it asks for more key-derivation work, memory or time to open than Valetkey will spend, or it cannot be read. The description says which; re-export it with ordinary settings, or split it.' },
  upload_too_large: { status: 413, message: 'The file is larger than 64 MiB, the most the dashboard accepts. Import it with `valetkey import <path>` on the engine’s machine instead.' },
  upload_not_found: { status: 404, message: 'That uploaded file is gone: uploads last 15 minutes and are deleted once imported. Drop or choose the file again.' },

  // ---- audit ----
  export_too_large: { status: 413, message: 'The export has more than 50,000 rows, the most the dashboard downloads at once. Narrow the filters, or write it to a file with `valetkey audit export --out <file>` on the engine’s machine.' },
  audit_unavailable: { status: 503, message: 'The audit log cannot be written (is the disk full?), so nothing was released. Free space and retry.' },

  // ---- agent access (OAuth and our own) ----
  invalid_token: { status: 401, message: 'The access token is missing, malformed, expired, revoked or bound to another key.' },
  invalid_dpop_proof: { status: 401, message: 'The DPoP proof is missing or invalid. Sign a fresh proof for this method and URL with the key the token is bound to.' },
  use_dpop_nonce: { status: 401, message: 'A server nonce is required. Retry with the nonce from the DPoP-Nonce response header.' },
  insufficient_scope: { status: 403, message: 'The token does not allow this vault, entry or action.' },
  invalid_grant: { status: 400, message: 'The code is unknown, already used or expired.' },
  invalid_scope: { status: 400, message: 'The requested scope is malformed or wider than allowed.' },
  invalid_client: { status: 400, message: 'The client_id is missing or does not match.' },
  unsupported_grant_type: { status: 400, message: 'That grant_type is not supported. See /.well-known/oauth-authorization-server.' },
  authorization_pending: { status: 400, message: 'The person has not answered yet. Keep polling at the given interval.' },
  slow_down: { status: 400, message: 'Polling too fast. Add 5 seconds to the interval.' },
  access_denied: { status: 400, message: 'The person denied the request.' },
  expired_token: { status: 400, message: 'The device code expired. Start a new request.' },
  reason_required: { status: 400, message: 'Every secret access needs a reason of 1 to 300 characters.' },
  approval_denied: { status: 403, message: 'The person denied this access.' },
  approval_timeout: { status: 408, message: 'Nobody approved the access in time. Ask again when the person is there.' },
  agents_paused: { status: 403, message: 'All agents are paused by the person. Retry after they resume agents.' },
  token_paused: { status: 403, message: 'This token is paused. Ask the person to look at the alert in Valetkey and resume the token, or to make a new one.' },
  token_limit_reached: { status: 403, message: 'This token has used up its allowed number of uses.' },
  host_not_allowed: { status: 403, message: 'That host is not on the entry’s list of allowed hosts. The person can add it in the entry’s settings.' },
  credential_ambiguous: { status: 409, message: 'Several entries are allowed for this host, so Valetkey will not guess. For git, put the account in the URL (https://NAME@host/…); otherwise ask the person to give the token only one of them.' },
  upstream_failed: { status: 502, message: 'The target of a fetch could not be reached, took longer than 10 s, or answered with more than 1 MiB. Check the URL and the service, then retry.' },

  // ---- bugs ----
  internal_error: { status: 500, message: 'Valetkey hit an unexpected error. Nothing was released. Please report it with the time it happened.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/**
 * The one error class for expected failures. `detail` is for user errors about the request's own
 * shape ("field `title` is required"); it is never set from secret material.
 */
export class VkError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string) {
    super(describe(code, detail));
    this.name = 'VkError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = detail;
  }

  toJSON(): { error: ErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}

function describe(code: ErrorCode, detail: string | undefined): string {
  if (detail === undefined) return ERRORS[code].message;
  if (code !== 'invalid_request') return `${ERRORS[code].message} (${detail})`;
  // Not capitalised: a detail may start with a file name or a --flag, which must stay as typed.
  return /[.!?]$/.test(detail) ? detail : `${detail}.`;
}

export function isVkError(e: unknown): e is VkError {
  return e instanceof VkError;
}

/** The wire shape of an error, as every transport sends it. */
export interface WireError {
  readonly error: ErrorCode;
  readonly error_description: string;
}

/** Rebuild a VkError from its wire shape (for clients); unknown codes become internal_error. */
export function fromWire(body: unknown): VkError {
  if (typeof body === 'object' && body !== null) {
    const { error, error_description: description } = body as Partial<WireError>;
    if (isErrorCode(error)) {
      const e = new VkError(error);
      if (typeof description === 'string') Object.defineProperty(e, 'message', { value: description });
      return e;
    }
  }
  return new VkError('internal_error');
}
