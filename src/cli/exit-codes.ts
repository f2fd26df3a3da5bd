/** The CLI's exit codes, documented in the README. One code per kind of outcome a script may branch on. */
import type { ErrorCode } from '../shared/errors.js';

export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  engine: 3,
  locked: 4,
  refused: 5,
  notFound: 6,
  integrity: 7,
  keychain: 8,
  denied: 9,
  unauthorizedAgent: 10,
  upstream: 11,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'invalid_request':
    case 'bad_host':
    case 'forbidden_host':
    case 'forbidden_origin':
    case 'unsupported_media_type':
    case 'payload_too_large':
    case 'upload_too_large':
    case 'export_too_large':
    case 'method_not_allowed':
    case 'passphrase_too_short':
    case 'invalid_scope':
    case 'reason_required':
    case 'import_invalid':
      return EXIT.usage;
    case 'engine_unreachable':
    case 'dashboard_unavailable':
    case 'not_initialized':
    case 'already_initialized':
    case 'already_running':
    case 'data_dir_unsafe':
      return EXIT.engine;
    case 'vault_locked':
    case 'agents_paused':
    case 'token_paused':
      return EXIT.locked;
    case 'grant_required':
    case 'passphrase_invalid':
    case 'rate_limited':
    case 'unauthorized':
      return EXIT.refused;
    case 'not_found':
    case 'conflict':
    case 'upload_not_found':
      return EXIT.notFound;
    case 'integrity_error':
    case 'tamper_detected':
    case 'engine_unverified':
    case 'audit_unavailable':
    case 'invalid_recovery_kit':
    case 'invalid_backup':
      return EXIT.integrity;
    case 'keychain_unavailable':
    case 'key_missing':
      return EXIT.keychain;
    case 'approval_denied':
    case 'approval_timeout':
    case 'access_denied':
    case 'host_not_allowed':
    case 'insufficient_scope':
    case 'token_limit_reached':
    case 'credential_ambiguous':
      return EXIT.denied;
    case 'invalid_token':
    case 'invalid_dpop_proof':
    case 'use_dpop_nonce':
    case 'invalid_grant':
    case 'expired_token':
    case 'invalid_client':
    case 'unsupported_grant_type':
    case 'authorization_pending':
    case 'slow_down':
      return EXIT.unauthorizedAgent;
    case 'upstream_failed':
      return EXIT.upstream;
    case 'internal_error':
      return EXIT.error;
  }
}
