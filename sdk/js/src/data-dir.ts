/**
 * The engine's data directory: $VALETKEY_HOME, else the platform's app-data directory. The one
 * copy of this rule: the engine (src/core/config/data-dir.ts) imports it from here, so the engine
 * and every client look in the same place. Node built-ins only, so the app may import it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export function dataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.VALETKEY_HOME) return env.VALETKEY_HOME;
  const home = env.HOME ?? homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Valetkey');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Valetkey');
    default:
      return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'valetkey');
  }
}
