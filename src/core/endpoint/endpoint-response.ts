/**
 * How the agent endpoint answers. Every answer goes through sendJson (no-store, nosniff, never a
 * CORS header). OAuth and resource routes also carry a fresh `DPoP-Nonce` (RFC 9449 §8-9), so a
 * client that keeps the latest one rarely meets `use_dpop_nonce`. Resource challenges name the
 * protected resource metadata (RFC 9728 §5.1) of the listener asked.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { wwwAuthenticate, type ChallengeError } from '../auth/authorization-header.js';
import { errorResponse, sendJson } from '../net/listener-checks.js';
import { isVkError, type ErrorCode } from '../../shared/errors.js';
import type { EndpointRequest } from './endpoint-context.js';
import { PATHS } from './endpoint-paths.js';

/** The fixed detail of "no credentials at all": answered with a bare challenge (RFC 6750 §3.1). */
export const NO_CREDENTIALS = 'send Authorization: DPoP <access token> with a DPoP proof';

const CHALLENGES: readonly string[] = ['invalid_token', 'invalid_dpop_proof', 'use_dpop_nonce', 'insufficient_scope'] satisfies ChallengeError[];

export function sendOk(r: EndpointRequest, body: unknown, status = 200): void {
  sendJson(r.res, status, body, nonceHeader(r));
}

export function sendEndpointError(r: EndpointRequest, e: unknown, extra: OutgoingHttpHeaders = {}): void {
  const { status, wire } = errorResponse(e);
  if (r.res.headersSent) {
    r.res.destroy();
    return;
  }
  const headers: OutgoingHttpHeaders = { ...extra, ...nonceHeader(r) };
  if (wire.error === 'payload_too_large') headers.Connection = 'close'; // the rest of the body is not worth reading
  if (r.surface === 'resource') addChallenge(r, headers, wire.error, status, isVkError(e) && e.detail === NO_CREDENTIALS);
  sendJson(r.res, statusFor(r, wire.error, status), wire, headers);
}

/** An authorization server answers 400 where a resource server answers 401 (RFC 9449 §8, RFC 6749 §5.2). */
function statusFor(r: EndpointRequest, code: ErrorCode, status: number): number {
  return r.surface === 'authorization' && status === 401 && code !== 'unauthorized' ? 400 : status;
}

function addChallenge(r: EndpointRequest, headers: OutgoingHttpHeaders, code: ErrorCode, status: number, noCredentials: boolean): void {
  if (status !== 401 && status !== 403) return;
  const metadata = `${r.listener.base}${PATHS.protectedResource}`;
  if (noCredentials) {
    headers['WWW-Authenticate'] = wwwAuthenticate(undefined, metadata);
  } else if (CHALLENGES.includes(code)) {
    headers['WWW-Authenticate'] = wwwAuthenticate(code as ChallengeError, metadata);
  }
}

function nonceHeader(r: EndpointRequest): OutgoingHttpHeaders {
  return r.surface === 'metadata' ? {} : { 'DPoP-Nonce': r.state.nonces.current() };
}
