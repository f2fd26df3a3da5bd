/** The OAuth grant types the token endpoint accepts (RFC 8628, RFC 8693, and our enrollment). */
export const GRANT_TYPES = {
  deviceCode: 'urn:ietf:params:oauth:grant-type:device_code',
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
  enrollment: 'urn:valetkey:params:oauth:grant-type:enrollment',
} as const;
