import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** RFC 9449 §8 server nonces: the nonce for a 60 s step is HMAC-SHA256(secret, step). */
export const NONCE_STEP_MS = 60_000;
const MIN_SECRET_BYTES = 32;

/**
 * Stateless DPoP nonces. `current()` is what the endpoint sends in `DPoP-Nonce`; `check()`
 * accepts the current and the previous step, so a nonce lives between 60 and 120 s. The
 * nonce shows nothing about the secret or the clock beyond "it changes every minute".
 */
export class DpopNonces {
  readonly #key: KeyObject;
  readonly #clock: () => number;
  /** The last steps' nonces: every answer carries one, and the HMAC would otherwise run per request. */
  readonly #byStep = new Map<number, string>();

  /** `secret` is copied into a KeyObject; the caller may wipe its array afterwards. */
  constructor(secret: Uint8Array, clock: () => number = Date.now) {
    if (secret.length < MIN_SECRET_BYTES) throw new RangeError('nonce secret must be at least 32 bytes');
    this.#key = createSecretKey(Buffer.from(secret));
    this.#clock = clock;
  }

  current(): string {
    return this.#nonceFor(this.#step());
  }

  check(nonce: string): boolean {
    if (typeof nonce !== 'string') return false;
    const step = this.#step();
    // Compare against both steps every time so timing does not tell which one matched.
    const now = safeEqual(nonce, this.#nonceFor(step));
    const previous = safeEqual(nonce, this.#nonceFor(step - 1));
    return now || previous;
  }

  #step(): number {
    return Math.floor(this.#clock() / NONCE_STEP_MS);
  }

  #nonceFor(step: number): string {
    const known = this.#byStep.get(step);
    if (known !== undefined) return known;
    const nonce = createHmac('sha256', this.#key).update(`valetkey-dpop-nonce:${step}`).digest('base64url');
    if (this.#byStep.size >= 4) this.#byStep.clear(); // only the current and previous step are ever asked for
    this.#byStep.set(step, nonce);
    return nonce;
  }
}

function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
