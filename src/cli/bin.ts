/** The `valetkey` executable's entry (bundled to out/cli/valetkey.mjs; run from source with tsx in tests). */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`valetkey: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
