/**
 * The D-Bus wire format the Secret Service lookup speaks: what we encode decodes to what we meant,
 * the other byte order reads the same, and malformed input throws instead of hanging or reading
 * past its end.
 */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMethodCall, MESSAGE, WireFormatError, WireWriter } from '../../../src/core/keys/dbus-wire.js';
import { replyMessage } from './fixtures/dbus-reply.js';

const call = {
  serial: 3,
  destination: 'org.freedesktop.secrets',
  path: '/org/freedesktop/secrets',
  iface: 'org.freedesktop.Secret.Service',
  member: 'SearchItems',
} as const;

describe('D-Bus wire format', () => {
  it('a method call we encode decodes to the same header and body', () => {
    const bytes = encodeMethodCall({
      ...call,
      body: { signature: 'a{ss}', write: (w) => w.array(8, () => {
        for (const [k, v] of [['service', 'valetkey-agent'], ['username', 'é:default']]) {
          w.align(8);
          w.string(k!);
          w.string(v!);
        }
      }) },
    });
    const decoded = decodeMessage(bytes);
    expect(decoded?.size).toBe(bytes.length);
    expect(decoded?.message).toMatchObject({ type: MESSAGE.methodCall, signature: 'a{ss}', replySerial: undefined });
    expect(decoded?.message.body).toEqual([[['service', 'valetkey-agent'], ['username', 'é:default']]]);
  });

  it('reads a reply with structs, byte arrays, object paths and variants', () => {
    const bytes = replyMessage(4, '(oayays)v', (w) => {
      w.align(8);
      w.string('/org/freedesktop/secrets/session/s1');
      w.array(1, () => undefined);
      w.array(1, () => { for (const b of Buffer.from('sécret')) w.byte(b); });
      w.string('text/plain');
      w.signature('s');
      w.string('');
    });
    const message = decodeMessage(bytes)?.message;
    expect(message?.replySerial).toBe(4);
    expect(message?.body).toEqual([
      ['/org/freedesktop/secrets/session/s1', new Uint8Array(0), new Uint8Array(Buffer.from('sécret')), 'text/plain'],
      '',
    ]);
  });

  it('reads a big-endian message', () => {
    const bytes = Buffer.alloc(40);
    bytes.write('B', 0, 'latin1');
    bytes[1] = MESSAGE.methodReturn;
    bytes[3] = 1;
    bytes.writeUInt32BE(4, 4); // body length
    bytes.writeUInt32BE(9, 8); // serial
    bytes.writeUInt32BE(15, 12); // header fields: two structs, the last one's padding not counted
    bytes.set([5, 1, 0x75, 0], 16); // REPLY_SERIAL, signature "u"
    bytes.writeUInt32BE(7, 20);
    bytes.set([8, 1, 0x67, 0, 1, 0x75, 0], 24); // SIGNATURE, signature "g", value "u"
    bytes.writeUInt32BE(42, 32); // body
    expect(decodeMessage(bytes.subarray(0, 36))?.message).toMatchObject({ replySerial: 7, signature: 'u', body: [42] });
  });

  it('waits for the rest of a message that has not all arrived', () => {
    const bytes = replyMessage(2, 's', (w) => w.string('x'.repeat(100)));
    expect(decodeMessage(bytes.subarray(0, 10))).toBeUndefined();
    expect(decodeMessage(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
    expect(decodeMessage(Buffer.concat([bytes, bytes]))?.size).toBe(bytes.length);
  });

  it('refuses what is not a well-formed message', () => {
    const good = replyMessage(2, 'as', (w) => w.array(4, () => w.string('a')));
    const notDbus = Buffer.from(good);
    notDbus[0] = 0x51;
    expect(() => decodeMessage(notDbus)).toThrow(WireFormatError);

    const huge = Buffer.from(good);
    huge.writeUInt32LE(2 ** 21, 4);
    expect(() => decodeMessage(huge)).toThrow(WireFormatError);

    // The array claims more bytes than the body holds.
    const bodyStart = good.length - 12;
    const overlong = Buffer.from(good);
    overlong.writeUInt32LE(400, bodyStart);
    expect(() => decodeMessage(overlong)).toThrow(WireFormatError);

    const noNul = Buffer.from(good);
    noNul[good.length - 1] = 0x41;
    expect(() => decodeMessage(noNul)).toThrow(WireFormatError);

    expect(() => decodeMessage(replyMessage(2, '(s', (w) => { w.align(8); w.string('a'); }))).toThrow(WireFormatError);
    expect(() => decodeMessage(replyMessage(2, 'm', () => undefined))).toThrow(WireFormatError);
  });

  it('refuses variants nested past the specification’s 64 levels instead of recursing without end', () => {
    const nested = (depth: number) => replyMessage(2, 'v', (w) => {
      for (let i = 0; i < depth; i++) w.signature('v');
      w.signature('u');
      w.uint32(1);
    });
    expect(decodeMessage(nested(10))?.message.body).toEqual([1]);
    expect(() => decodeMessage(nested(200))).toThrow(WireFormatError);
  });

  it('will not write a string holding NUL', () => {
    expect(() => new WireWriter().string('a\0b')).toThrow(WireFormatError);
  });
});
