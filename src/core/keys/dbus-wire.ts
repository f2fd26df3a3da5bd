/**
 * The D-Bus wire format, as much of it as one Secret Service lookup needs (D-Bus Specification,
 * "Message Protocol": type signatures, alignment, message layout). Messages go out little-endian;
 * either byte order is read. Everything read is bounds-checked: a malformed message throws, it
 * never hangs or reads past its end.
 */

/** A decoded value: numbers, strings, `ay` as bytes, arrays and structs as arrays. */
export type WireValue = number | bigint | string | Uint8Array | readonly WireValue[];

export const MESSAGE = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;

/** The specification's own limits: 64 levels of containers, messages up to 128 MiB (we take far less). */
const MAX_DEPTH = 64;
const MAX_MESSAGE_BYTES = 1 << 20;

export class WireFormatError extends Error {}

export class WireWriter {
  #buf = Buffer.alloc(256);
  #len = 0;

  get length(): number {
    return this.#len;
  }

  bytes(): Buffer {
    return this.#buf.subarray(0, this.#len);
  }

  align(n: number): void {
    const pad = (n - (this.#len % n)) % n;
    this.#reserve(pad).fill(0);
    this.#len += pad;
  }

  byte(v: number): void {
    this.#reserve(1)[0] = v;
    this.#len += 1;
  }

  uint32(v: number): void {
    this.align(4);
    this.#reserve(4).writeUInt32LE(v);
    this.#len += 4;
  }

  /** `s` and `o`: a D-Bus string may not hold NUL. */
  string(s: string): void {
    if (s.includes('\0')) throw new WireFormatError('a D-Bus string cannot hold NUL');
    const bytes = Buffer.from(s, 'utf8');
    this.uint32(bytes.length);
    this.#raw(bytes);
    this.byte(0);
  }

  signature(s: string): void {
    this.byte(s.length);
    this.#raw(Buffer.from(s, 'ascii'));
    this.byte(0);
  }

  /** An array: its byte length is known once `fill` has written the elements. */
  array(elementAlign: number, fill: () => void): void {
    this.uint32(0);
    const lengthAt = this.#len - 4;
    this.align(elementAlign);
    const start = this.#len;
    fill();
    this.#buf.writeUInt32LE(this.#len - start, lengthAt);
  }

  #raw(bytes: Uint8Array): void {
    this.#reserve(bytes.length).set(bytes);
    this.#len += bytes.length;
  }

  /** Room for `n` more bytes, as a view starting at the current end. */
  #reserve(n: number): Buffer {
    if (this.#len + n > this.#buf.length) {
      const grown = Buffer.alloc(Math.max(this.#buf.length * 2, this.#len + n));
      this.#buf.copy(grown, 0, 0, this.#len);
      this.#buf = grown;
    }
    return this.#buf.subarray(this.#len, this.#len + n);
  }
}

export interface MethodCall {
  readonly serial: number;
  readonly destination: string;
  readonly path: string;
  readonly iface: string;
  readonly member: string;
  /** The body's signature and a writer for it; none for a call without arguments. */
  readonly body?: { readonly signature: string; readonly write: (w: WireWriter) => void };
}

export function encodeMethodCall(call: MethodCall): Buffer {
  const body = new WireWriter();
  call.body?.write(body);
  const header = new WireWriter();
  for (const b of [0x6c /* 'l' */, MESSAGE.methodCall, 0, 1]) header.byte(b);
  header.uint32(body.length);
  header.uint32(call.serial);
  header.array(8, () => {
    headerField(header, 1, 'o', call.path);
    headerField(header, 2, 's', call.iface);
    headerField(header, 3, 's', call.member);
    headerField(header, 6, 's', call.destination);
    if (call.body !== undefined) headerField(header, 8, 'g', call.body.signature);
  });
  header.align(8);
  return Buffer.concat([header.bytes(), body.bytes()]);
}

function headerField(w: WireWriter, code: number, type: 's' | 'o' | 'g', value: string): void {
  w.align(8);
  w.byte(code);
  w.signature(type);
  if (type === 'g') w.signature(value);
  else w.string(value);
}

export interface Message {
  readonly type: number;
  readonly serial: number;
  readonly replySerial: number | undefined;
  readonly errorName: string | undefined;
  readonly signature: string;
  readonly body: readonly WireValue[];
}

/** The first whole message at the start of `buf` and its size in bytes; undefined until all of it has arrived. */
export function decodeMessage(buf: Buffer): { readonly message: Message; readonly size: number } | undefined {
  if (buf.length < 16) return undefined;
  const littleEndian = buf[0] === 0x6c;
  if (!littleEndian && buf[0] !== 0x42 /* 'B' */) throw new WireFormatError('not a D-Bus message');
  const u32 = (at: number): number => (littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const bodyStart = roundUp(16 + u32(12), 8);
  const size = bodyStart + u32(4);
  if (size > MAX_MESSAGE_BYTES) throw new WireFormatError('D-Bus message too large');
  if (buf.length < size) return undefined;
  const fields = new Map<number, WireValue>();
  const [headerFields] = new WireReader(buf.subarray(0, bodyStart), littleEndian, 12).read('a(yv)');
  for (const field of asArray(headerFields)) {
    const [code, value] = asArray(field);
    if (typeof code === 'number' && value !== undefined) fields.set(code, value);
  }
  const signature = fields.get(8) ?? '';
  if (typeof signature !== 'string') throw new WireFormatError('bad signature field');
  const replySerial = fields.get(5);
  const errorName = fields.get(4);
  const message: Message = {
    type: buf[1] ?? 0,
    serial: u32(8),
    replySerial: typeof replySerial === 'number' ? replySerial : undefined,
    errorName: typeof errorName === 'string' ? errorName : undefined,
    signature,
    // Alignment inside the body counts from the body's start, which is 8-aligned in the message.
    body: new WireReader(buf.subarray(bodyStart, size), littleEndian, 0).read(signature),
  };
  return { message, size };
}

export function asArray(v: WireValue | undefined): readonly WireValue[] {
  if (!Array.isArray(v)) throw new WireFormatError('expected an array or struct');
  return v as readonly WireValue[];
}

class WireReader {
  #pos: number;
  #depth = 0;

  constructor(private readonly buf: Buffer, private readonly littleEndian: boolean, start: number) {
    this.#pos = start;
  }

  /** Reads a sequence of complete types (a message body's signature). */
  read(signature: string): WireValue[] {
    const values: WireValue[] = [];
    for (let at = 0; at < signature.length; ) {
      const [value, next] = this.#value(signature, at);
      values.push(value);
      at = next;
    }
    return values;
  }

  #value(sig: string, at: number): [WireValue, number] {
    const c = sig[at];
    switch (c) {
      case 'y':
        return [this.#take(1).readUInt8(0), at + 1];
      case 'b':
      case 'u':
      case 'h':
        return [this.#uint32(), at + 1];
      case 'i':
        return [this.#number(4, (b) => (this.littleEndian ? b.readInt32LE(0) : b.readInt32BE(0))), at + 1];
      case 'n':
        return [this.#number(2, (b) => (this.littleEndian ? b.readInt16LE(0) : b.readInt16BE(0))), at + 1];
      case 'q':
        return [this.#number(2, (b) => (this.littleEndian ? b.readUInt16LE(0) : b.readUInt16BE(0))), at + 1];
      case 'x':
        return [this.#number(8, (b) => (this.littleEndian ? b.readBigInt64LE(0) : b.readBigInt64BE(0))), at + 1];
      case 't':
        return [this.#number(8, (b) => (this.littleEndian ? b.readBigUInt64LE(0) : b.readBigUInt64BE(0))), at + 1];
      case 'd':
        return [this.#number(8, (b) => (this.littleEndian ? b.readDoubleLE(0) : b.readDoubleBE(0))), at + 1];
      case 's':
      case 'o':
        return [this.#string(this.#uint32()), at + 1];
      case 'g':
        return [this.#string(this.#take(1).readUInt8(0)), at + 1];
      case 'v':
        return [this.#nested(() => this.#variant()), at + 1];
      case 'a':
        return this.#nested(() => this.#array(sig, at));
      case '(':
      case '{':
        return this.#nested(() => this.#struct(sig, at, c === '(' ? ')' : '}'));
      default:
        throw new WireFormatError(`unsupported D-Bus type ${JSON.stringify(c)}`);
    }
  }

  #variant(): WireValue {
    const inner = this.#string(this.#take(1).readUInt8(0));
    const [value, end] = this.#value(inner, 0);
    if (end !== inner.length) throw new WireFormatError('a variant holds one complete type');
    return value;
  }

  #array(sig: string, at: number): [WireValue, number] {
    const byteLength = this.#uint32();
    const end = typeEnd(sig, at + 1);
    this.#align(alignment(sig[at + 1]));
    const stop = this.#pos + byteLength;
    if (stop > this.buf.length) throw new WireFormatError('array runs past the message');
    if (sig[at + 1] === 'y') return [Uint8Array.from(this.#take(byteLength)), end];
    const items: WireValue[] = [];
    while (this.#pos < stop) items.push(this.#value(sig, at + 1)[0]);
    if (this.#pos !== stop) throw new WireFormatError('array length does not match its elements');
    return [items, end];
  }

  #struct(sig: string, at: number, close: string): [WireValue, number] {
    this.#align(8);
    const fields: WireValue[] = [];
    let i = at + 1;
    while (sig[i] !== close) {
      if (i >= sig.length) throw new WireFormatError('unclosed struct in signature');
      const [value, next] = this.#value(sig, i);
      fields.push(value);
      i = next;
    }
    return [fields, i + 1];
  }

  #nested<T>(read: () => T): T {
    if (++this.#depth > MAX_DEPTH) throw new WireFormatError('D-Bus value nested too deeply');
    try {
      return read();
    } finally {
      this.#depth -= 1;
    }
  }

  #uint32(): number {
    return this.#number(4, (b) => (this.littleEndian ? b.readUInt32LE(0) : b.readUInt32BE(0)));
  }

  #number<T>(size: number, read: (b: Buffer) => T): T {
    this.#align(size);
    return read(this.#take(size));
  }

  /** A string of `length` bytes and its closing NUL. */
  #string(length: number): string {
    const text = this.#take(length).toString('utf8');
    if (this.#take(1)[0] !== 0) throw new WireFormatError('string without its closing NUL');
    return text;
  }

  #align(n: number): void {
    this.#take(roundUp(this.#pos, n) - this.#pos);
  }

  #take(n: number): Buffer {
    if (this.#pos + n > this.buf.length) throw new WireFormatError('D-Bus message ends early');
    const slice = this.buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return slice;
  }
}

/** Where the complete type starting at `at` ends. */
function typeEnd(sig: string, at: number): number {
  const c = sig[at];
  if (c === undefined) throw new WireFormatError('signature ends inside a type');
  if (c === 'a') return typeEnd(sig, at + 1);
  if (c !== '(' && c !== '{') return at + 1;
  const close = c === '(' ? ')' : '}';
  let i = at + 1;
  while (sig[i] !== close) i = typeEnd(sig, i);
  return i + 1;
}

function alignment(c: string | undefined): number {
  switch (c) {
    case 'y': case 'g': case 'v': return 1;
    case 'n': case 'q': return 2;
    case 'x': case 't': case 'd': case '(': case '{': return 8;
    default: return 4;
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
