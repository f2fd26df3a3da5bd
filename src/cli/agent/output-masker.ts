/**
 * Masks secret values in a child's output as it streams (`valetkey run`): every form of every
 * value (src/core/fetch/secret-forms.ts) becomes `<concealed by valetkey>`. A value split across
 * writes is still caught: the masker holds back only a tail that could be the start of a form,
 * at most the longest form's length minus one, and releases it as soon as it cannot be.
 */
import { SecretMatcher } from '../../core/fetch/secret-matcher.js';

export const CONCEALED = '<concealed by valetkey>';

export class OutputMasker {
  readonly #matcher: SecretMatcher;
  #rest = '';
  #masked = 0;

  constructor(values: readonly string[]) {
    this.#matcher = new SecretMatcher(values.map((value) => ({ value, replacement: CONCEALED })));
  }

  /** What may be written now. */
  push(chunk: Buffer): Buffer {
    return this.#scan(this.#rest + chunk.toString('latin1'), false);
  }

  /** The held-back tail, once the stream has ended. */
  end(): Buffer {
    return this.#scan(this.#rest, true);
  }

  get masked(): number {
    return this.#masked;
  }

  #scan(text: string, final: boolean): Buffer {
    const { out, rest, replaced } = this.#matcher.scan(text, final);
    this.#rest = rest;
    this.#masked += replaced;
    return Buffer.from(out, 'latin1');
  }
}
