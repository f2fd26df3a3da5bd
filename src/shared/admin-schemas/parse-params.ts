/**
 * Parses JSON params with a schema and turns a failure into `invalid_request` with a sentence that
 * names the field. Sentences never quote the value: it may be a secret typed into the wrong box.
 */
import type { z } from 'zod';
import { VkError } from '../errors.js';

type Issue = z.core.$ZodRawIssue;

const NOUNS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function sizeRule(issue: Issue & { readonly minimum?: unknown; readonly maximum?: unknown; readonly origin?: unknown }): string {
  const small = issue.code === 'too_small';
  const bound = String(small ? issue.minimum : issue.maximum);
  switch (issue.origin) {
    case 'string':
      return small && bound === '1' ? 'must not be empty' : `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
    case 'array':
    case 'set':
      return `must have ${small ? 'at least' : 'at most'} ${bound} item${bound === '1' ? '' : 's'}`;
    default:
      return `must be ${small ? 'at least' : 'at most'} ${bound}`;
  }
}

/** The rule the value broke, as the end of a sentence that starts with the field's name. */
function rule(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${NOUNS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(issue.values.length === 2 ? ' or ' : ', ')}`;
    case 'too_small':
    case 'too_big':
      return sizeRule(issue);
    case 'unrecognized_keys':
      return `has no field ${issue.keys.map((k) => `\`${k.slice(0, 40)}\``).join(', ')}; remove it`;
    case 'invalid_union':
      return 'is not in any of the accepted forms';
    default:
      return 'is not valid';
  }
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** `format` must be "csv", "jsonl", … — one sentence per problem, at most three. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const sentences = issues.slice(0, 3).map((i) => {
    const field = fieldName(i.path);
    return field === '' ? `The params ${i.message}.` : `\`${field}\` ${i.message}.`;
  });
  return sentences.join(' ');
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value, { error: (issue) => rule(issue) });
  if (!parsed.success) throw new VkError('invalid_request', describeIssues(parsed.error.issues));
  return parsed.data;
}
