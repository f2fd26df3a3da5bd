import { utilityProcess } from 'electron';
import { ENGINE_NODE_FLAGS } from '../core/daemon/engine-node-flags.js';
import { createEngineClient, type EngineClient } from './engine-client.js';

export interface EngineHost {
  readonly client: EngineClient;
  stop(): void;
}

/**
 * The engine runs in its own utility process: synchronous SQLite and Argon2 never block the UI,
 * and it is the same code the headless daemon runs.
 */
export function startEngine(entryPath: string): EngineHost {
  const child = utilityProcess.fork(entryPath, [], { serviceName: 'Valetkey engine', stdio: 'inherit', execArgv: [...ENGINE_NODE_FLAGS] });
  const client = createEngineClient(child);
  child.on('exit', (code) => {
    client.close();
    if (code !== 0) console.error(`valetkey: the engine process exited with code ${code}`);
  });
  return {
    client,
    stop: () => {
      client.close();
      child.kill();
    },
  };
}
