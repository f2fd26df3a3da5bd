import { app } from 'electron';
import { bootstrap } from './bootstrap.js';

// One Valetkey per person: a second launch focuses the first (see bootstrap's 'second-instance').
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  bootstrap().catch((e: unknown) => {
    console.error(`valetkey: the app failed to start (${e instanceof Error ? e.message : String(e)})`);
    app.exit(1);
  });
}
