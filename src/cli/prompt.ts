/**
 * Questions the CLI asks a person: the admin passphrase and secret values. Secrets never come
 * from argv (they would show in `ps` and shell history). On a terminal, input is hidden; without
 * one, answers are read from standard input one line per question, in the order asked.
 */
import { Writable } from 'node:stream';

export interface Prompter {
  /** Ask for one line; hidden on a terminal. */
  ask(question: string, options?: { hidden?: boolean }): Promise<string>;
  /** Everything left on standard input (multi-line notes); on a terminal, until a line with a single '.'. */
  rest(question: string): Promise<string>;
}

/**
 * Standard input is looked at when the first question is asked, not before: Node builds
 * `process.stdin` on first access (a pipe, TTY or file stream with their modules, 3-15 ms), and an
 * agent's command never asks anything.
 */
export function createPrompter(stdin: () => NodeJS.ReadStream = () => process.stdin, stderr: () => NodeJS.WriteStream = () => process.stderr): Prompter {
  let chosen: Prompter | undefined;
  const prompter = (): Prompter => {
    if (chosen === undefined) {
      const input = stdin();
      chosen = input.isTTY ? new TerminalPrompter(input, stderr()) : new PipedPrompter(input);
    }
    return chosen;
  };
  return { ask: (question, options) => prompter().ask(question, options), rest: (question) => prompter().rest(question) };
}

class TerminalPrompter implements Prompter {
  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stderr: NodeJS.WriteStream,
  ) {}

  async ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
    // Loaded when a person is asked something: an agent's command never asks, and readline costs its start-up ~20 ms.
    // A synchronous lookup, not import(): bin/valetkey.cjs runs the bundle from V8's code cache, where Node 20 has no import().
    const { createInterface } = process.getBuiltinModule('node:readline');
    let muted = false;
    const output = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        if (!muted) this.stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: this.stdin, output, terminal: true });
    return new Promise((resolve) => {
      rl.question(question, (answer) => {
        rl.close();
        if (options.hidden) this.stderr.write('\n');
        resolve(answer);
      });
      muted = options.hidden === true;
    });
  }

  async rest(question: string): Promise<string> {
    this.stderr.write(`${question} (end with a line containing only '.')\n`);
    const lines: string[] = [];
    for (;;) {
      const line = await this.ask('');
      if (line === '.') return lines.join('\n');
      lines.push(line);
    }
  }
}

class PipedPrompter implements Prompter {
  private lines: Promise<string[]> | undefined;
  private index = 0;

  constructor(private readonly stdin: NodeJS.ReadStream) {}

  async ask(): Promise<string> {
    const lines = await this.all();
    const line = lines[this.index];
    if (line === undefined) throw new PromptError('standard input ended before every question was answered');
    this.index += 1;
    return line;
  }

  async rest(): Promise<string> {
    const lines = await this.all();
    const rest = lines.slice(this.index).join('\n');
    this.index = lines.length;
    return rest;
  }

  private all(): Promise<string[]> {
    this.lines ??= (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of this.stdin) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const lines = text.split(/\r?\n/);
      if (lines.at(-1) === '') lines.pop();
      return lines;
    })();
    return this.lines;
  }
}

export class PromptError extends Error {}
