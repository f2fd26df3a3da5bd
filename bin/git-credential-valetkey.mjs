#!/usr/bin/env node
// `git config credential.helper valetkey` makes git run `git-credential-valetkey ACTION`: the same
// CLI as `valetkey credential-helper ACTION`, so there is one program to install and update.
process.argv.splice(2, 0, 'credential-helper');
await import('./valetkey.mjs');
