/**
 * The proxy's TLS leaves. The proxy makes one P-256 key per run and asks the engine for a one-hour
 * certificate per host over it (POST /v1/proxy/certificate); the CA key stays in the engine. A
 * leaf is reused until 5 minutes before it expires.
 */
import { newP256Key } from '../../core/proxy-ca/certificate-authority.js';

export interface Leaf {
  readonly cert: string;
  readonly key: string;
}

export type IssueLeaf = (host: string, publicKey: string) => Promise<{ certificate: string; expiresAt: number }>;

export class LeafCertificates {
  readonly #key = newP256Key();
  readonly #pemKey = this.#key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  readonly #leaves = new Map<string, { leaf: Leaf; expires: number }>();

  constructor(private readonly issue: IssueLeaf) {}

  async leafFor(authority: string): Promise<Leaf> {
    const cached = this.#leaves.get(authority);
    if (cached !== undefined && cached.expires - Date.now() > 5 * 60 * 1000) return cached.leaf;
    const made = await this.issue(authority, this.#key.spki.toString('base64'));
    const leaf = { cert: made.certificate, key: this.#pemKey };
    this.#leaves.set(authority, { leaf, expires: made.expiresAt });
    return leaf;
  }
}
