import { describe, expect, it } from 'vitest';
import { CONCEALED, OutputMasker } from '../../../src/cli/agent/output-masker.js';

const SECRET = 'hunter2-secret/Value';

function streamThrough(masker: OutputMasker, chunks: readonly Buffer[]): string {
  const out = chunks.map((c) => masker.push(c));
  out.push(masker.end());
  return Buffer.concat(out).toString('utf8');
}

function splitAt(text: string, cuts: readonly number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

describe('OutputMasker', () => {
  const text = `before ${SECRET} middle ${Buffer.from(SECRET).toString('base64')} after ${encodeURIComponent(SECRET)} end ✓`;
  const expected = `before ${CONCEALED} middle ${CONCEALED} after ${CONCEALED} end ✓`;

  it('masks every form however the output is cut into writes', () => {
    const length = Buffer.byteLength(text);
    for (let cut = 1; cut < length; cut += 1) {
      expect(streamThrough(new OutputMasker([SECRET]), splitAt(text, [cut])), `cut at ${cut}`).toBe(expected);
    }
    const single = [...Buffer.from(text)].map((b) => Buffer.from([b]));
    expect(streamThrough(new OutputMasker([SECRET]), single)).toBe(expected);
  });

  it('holds back only what could still become a secret', () => {
    const masker = new OutputMasker([SECRET]);
    expect(masker.push(Buffer.from('Continue? ')).toString()).toBe('Continue? ');
    expect(masker.push(Buffer.from('xx hunter')).toString()).toBe('xx ');
    expect(masker.push(Buffer.from('-not')).toString()).toBe('hunter-not');
    expect(masker.end().toString()).toBe('');
  });

  it('releases a partial secret at the end of the stream (it was never the whole value)', () => {
    const masker = new OutputMasker([SECRET]);
    expect(streamThrough(masker, [Buffer.from('tail hunter2-sec')])).toBe('tail hunter2-sec');
  });

  it('counts what it masked, and passes binary output through unchanged', () => {
    const masker = new OutputMasker([SECRET, 'other-value']);
    const bytes = Buffer.from([0xff, 0x00, 0xc3]);
    expect(Buffer.concat([masker.push(bytes), masker.push(Buffer.from(` ${SECRET} other-value`)), masker.end()]).equals(Buffer.concat([bytes, Buffer.from(` ${CONCEALED} ${CONCEALED}`)]))).toBe(true);
    expect(masker.masked).toBe(2);
  });
});
