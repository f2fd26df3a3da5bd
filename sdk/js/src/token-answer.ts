/** The token endpoint's answer (RFC 6749 §5.1) and the grant types the SDK sends. */
import { makeError } from './errors.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export interface TokenAnswer {
  readonly accessToken: string;
  readonly tokenType: 'DPoP' | 'Bearer';
  readonly expiresIn: number;
  readonly scope: string;
}

export function tokenAnswer(body: Record<string, unknown>): TokenAnswer {
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, scope } = body;
  if (typeof accessToken !== 'string' || (tokenType !== 'DPoP' && tokenType !== 'Bearer')) {
    throw makeError('internal_error', 'Valetkey answered the token request without a token.');
  }
  return { accessToken, tokenType, expiresIn: Number(expiresIn) || 0, scope: typeof scope === 'string' ? scope : '' };
}
