// The import worker when running from source (Vitest, tsx): Node 20 cannot start a worker from a
// .ts file, so tsx is registered in the worker first. The CLI and Electron builds start the bundled
// worker instead (scripts/build-cli.mjs, electron.vite.config.ts).
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
