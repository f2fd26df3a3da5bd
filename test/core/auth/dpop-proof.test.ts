import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyDpopProof, type DpopProofInput } from '../../../src/core/auth/dpop-proof.js';
import { ReplayCache } from '../../../src/core/auth/replay-cache.js';
import { DpopNonces } from '../../../src/core/auth/dpop-nonce.js';
import { calculateJwkThumbprint } from 'jose';
import { ROUTE, makeAgentKey, makeProof, type AgentKey } from './jwt-forge.js';

const NOW = 1_750_000_000;
const TOKEN = 'header.payload.signature-of-some-access-token';

function input(proof: string | readonly string[], overrides: Partial<DpopProofInput> = {}): DpopProofInput {
  return {
    headerValues: typeof proof === 'string' ? [proof] : proof,
    method: 'POST',
    url: ROUTE,
    nowSeconds: NOW,
    replay: new ReplayCache(),
    ...overrides,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? 'not a VkError';
  }
}

describe('verifyDpopProof', () => {
  it.each(['Ed25519', 'EdDSA', 'ES256'] as const)('accepts a good %s proof and returns its RFC 7638 thumbprint', async (alg) => {
    const agent = await makeAgentKey(alg);
    const result = await verifyDpopProof(input(makeProof(agent, NOW, { claims: { jti: 'j'.repeat(16) } })));
    expect(result).toEqual({ jkt: await calculateJwkThumbprint(agent.publicJwk, 'sha256'), jti: 'j'.repeat(16) });
  });

  it('accepts a proof bound to the presented token and key', async () => {
    const agent = await makeAgentKey();
    const jkt = await calculateJwkThumbprint(agent.publicJwk, 'sha256');
    const proof = makeProof(agent, NOW, { accessToken: TOKEN });
    expect(await codeOf(verifyDpopProof(input(proof, { accessToken: TOKEN, expectedJkt: jkt })))).toBe('ok');
  });

  it('compares htu after normalisation, ignoring query and fragment', async () => {
    const agent = await makeAgentKey();
    const proof = makeProof(agent, NOW, { url: 'HTTP://127.0.0.1:7777/v1/./%72esolve?x=1#y' });
    expect(await codeOf(verifyDpopProof(input(proof)))).toBe('ok');
  });

  it('accepts iat at the edges of the window: now-60 and now+5', async () => {
    const agent = await makeAgentKey();
    for (const iat of [NOW - 60, NOW + 5]) expect(await codeOf(verifyDpopProof(input(makeProof(agent, NOW, { iat }))))).toBe('ok');
    for (const iat of [NOW - 61, NOW + 6]) expect(await codeOf(verifyDpopProof(input(makeProof(agent, NOW, { iat }))))).toBe('invalid_dpop_proof');
  });

  it('wants exactly one DPoP header of at most 8 KiB holding one compact JWT', async () => {
    const agent = await makeAgentKey();
    const proof = makeProof(agent, NOW);
    expect(await codeOf(verifyDpopProof(input([])))).toBe('invalid_dpop_proof');
    expect(await codeOf(verifyDpopProof(input([proof, proof])))).toBe('invalid_dpop_proof');
    expect(await codeOf(verifyDpopProof(input(`${proof}, ${proof}`)))).toBe('invalid_dpop_proof');
    const padded = makeProof(agent, NOW, { claims: { pad: 'x'.repeat(8192) } });
    expect(await codeOf(verifyDpopProof(input(padded)))).toBe('invalid_dpop_proof');
  });

  it('wants a jti of 16 to 64 characters', async () => {
    const agent = await makeAgentKey();
    const code = async (jti: unknown): Promise<string> => codeOf(verifyDpopProof(input(makeProof(agent, NOW, { claims: { jti } }))));
    expect(await code('x'.repeat(15))).toBe('invalid_dpop_proof');
    expect(await code('x'.repeat(65))).toBe('invalid_dpop_proof');
    expect(await code(12345678901234567890)).toBe('invalid_dpop_proof');
    expect(await code('x'.repeat(64))).toBe('ok');
  });

  it('with athOptional (token exchange), takes a proof without ath but never one naming another token', async () => {
    const agent = await makeAgentKey();
    const code = (proof: string, athOptional: boolean): Promise<string> => codeOf(verifyDpopProof(input(proof, { accessToken: TOKEN, athOptional })));
    expect(await code(makeProof(agent, NOW), true)).toBe('ok');
    expect(await code(makeProof(agent, NOW), false)).toBe('invalid_dpop_proof');
    expect(await code(makeProof(agent, NOW, { accessToken: TOKEN }), true)).toBe('ok');
    expect(await code(makeProof(agent, NOW, { accessToken: 'another.access.token' }), true)).toBe('invalid_dpop_proof');
    expect(await code(makeProof(agent, NOW, { claims: { ath: 42 } }), true)).toBe('invalid_dpop_proof');
  });

  it('refuses ath when no token is presented', async () => {
    const agent = await makeAgentKey();
    const proof = makeProof(agent, NOW, { accessToken: TOKEN });
    expect(await codeOf(verifyDpopProof(input(proof)))).toBe('invalid_dpop_proof');
  });

  it('refuses an Ed448 key under EdDSA and an OKP key under ES256', async () => {
    const agent = await makeAgentKey();
    const ed448 = makeProof(agent, NOW, { header: { jwk: { ...agent.publicJwk, crv: 'Ed448' } } });
    expect(await codeOf(verifyDpopProof(input(ed448)))).toBe('invalid_dpop_proof');
    const mixed = makeProof(agent, NOW, { header: { alg: 'ES256' } });
    expect(await codeOf(verifyDpopProof(input(mixed)))).toBe('invalid_dpop_proof');
  });

  it('takes Ed25519 (RFC 9864) only with an Ed25519 key, and names the key as EdDSA does', async () => {
    const ed = await makeAgentKey('Ed25519');
    const asEd25519 = await verifyDpopProof(input(makeProof(ed, NOW)));
    const asEdDsa = await verifyDpopProof(input(makeProof(ed, NOW, { header: { alg: 'EdDSA' } })));
    expect(asEd25519.jkt).toBe(asEdDsa.jkt);
    const ed448 = makeProof(ed, NOW, { header: { jwk: { ...ed.publicJwk, crv: 'Ed448' } } });
    expect(await codeOf(verifyDpopProof(input(ed448)))).toBe('invalid_dpop_proof');
    const p256 = await makeAgentKey('ES256');
    const wrongKey = makeProof(p256, NOW, { header: { alg: 'Ed25519' } });
    expect(await codeOf(verifyDpopProof(input(wrongKey)))).toBe('invalid_dpop_proof');
  });

  describe('nonces', () => {
    const nonces = new DpopNonces(randomBytes(32), () => NOW * 1000);
    const required = { required: true, check: (n: string) => nonces.check(n) };

    it('asks for a nonce when required and missing or wrong', async () => {
      const agent = await makeAgentKey();
      expect(await codeOf(verifyDpopProof(input(makeProof(agent, NOW), { nonce: required })))).toBe('use_dpop_nonce');
      const stale = makeProof(agent, NOW, { claims: { nonce: 'stale-nonce-value-xxxxx' } });
      expect(await codeOf(verifyDpopProof(input(stale, { nonce: required })))).toBe('use_dpop_nonce');
      const good = makeProof(agent, NOW, { claims: { nonce: nonces.current() } });
      expect(await codeOf(verifyDpopProof(input(good, { nonce: required })))).toBe('ok');
    });

    it('ignores nonces where none is required', async () => {
      const agent = await makeAgentKey();
      const proof = makeProof(agent, NOW, { claims: { nonce: 'whatever-it-is' } });
      expect(await codeOf(verifyDpopProof(input(proof, { nonce: { ...required, required: false } })))).toBe('ok');
    });
  });

  describe('replay is checked last', () => {
    async function retryAfter(agent: AgentKey, first: Partial<DpopProofInput>): Promise<string> {
      const replay = new ReplayCache();
      const proof = makeProof(agent, NOW, { accessToken: TOKEN });
      await codeOf(verifyDpopProof(input(proof, { replay, accessToken: TOKEN, ...first })));
      return codeOf(verifyDpopProof(input(proof, { replay, accessToken: TOKEN })));
    }

    it('a proof refused for its method, key binding or nonce has not burnt its jti', async () => {
      const agent = await makeAgentKey();
      expect(await retryAfter(agent, { method: 'GET' })).toBe('ok');
      expect(await retryAfter(agent, { expectedJkt: 'C'.repeat(43) })).toBe('ok');
      expect(await retryAfter(agent, { nonce: { required: true, check: () => false } })).toBe('ok');
    });

    it('an accepted proof has', async () => {
      const agent = await makeAgentKey();
      expect(await retryAfter(agent, {})).toBe('invalid_dpop_proof');
    });

    it('a full replay cache refuses with rate_limited', async () => {
      const agent = await makeAgentKey();
      const replay = new ReplayCache({ maxEntries: 1 });
      expect(await codeOf(verifyDpopProof(input(makeProof(agent, NOW), { replay })))).toBe('ok');
      expect(await codeOf(verifyDpopProof(input(makeProof(agent, NOW), { replay })))).toBe('rate_limited');
    });
  });
});
