import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-agent-access.js';
import { migration0003 } from './0003-audit-sinks.js';
import { migration0004 } from './0004-device-key-later.js';
import { migration0005 } from './0005-ssh-key-kind.js';
import { migration0006 } from './0006-row-macs.js';
import { migration0007 } from './0007-more-macs.js';
import { migration0008 } from './0008-token-proxy-other-hosts.js';
import type { Migration } from './migration.js';

/** All migrations, in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008];
