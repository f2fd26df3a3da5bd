/**
 * The SSH wire encoding (RFC 4251 §5): uint32, string (length-prefixed bytes), byte, boolean. One
 * reader and one writer, used by the key format, the signatures and the agent protocol.
 */
export class SshReader {
  #at = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.#at >= this.buf.length;
  }

  byte(): number {
    this.#need(1);
    const v = this.buf.readUInt8(this.#at);
    this.#at += 1;
    return v;
  }

  uint32(): number {
    this.#need(4);
    const v = this.buf.readUInt32BE(this.#at);
    this.#at += 4;
    return v;
  }

  string(): Buffer {
    const length = this.uint32();
    this.#need(length);
    const v = this.buf.subarray(this.#at, this.#at + length);
    this.#at += length;
    return v;
  }

  text(): string {
    return this.string().toString('utf8');
  }

  rest(): Buffer {
    return this.buf.subarray(this.#at);
  }

  #need(n: number): void {
    if (this.#at + n > this.buf.length) throw new SshFormatError();
  }
}

/** Malformed SSH data: a fixed message, never the bytes. */
export class SshFormatError extends Error {
  constructor() {
    super('malformed SSH data');
  }
}

export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function sshUint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** An mpint (RFC 4251): big-endian, a leading zero byte when the top bit is set. */
export function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start += 1;
  const trimmed = unsigned.subarray(start);
  return sshString((trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}
