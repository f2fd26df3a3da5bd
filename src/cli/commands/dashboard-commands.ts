import type { Command } from '../command.js';

export const dashboardCommands: readonly Command[] = [
  {
    words: ['dashboard-url'],
    summary: 'Print a fresh one-time login URL for the browser dashboard (headless mode)',
    usage: '',
    details:
      'Asks the running engine (started with `valetkey daemon --headless` or `npm start`) for a new login URL.\n' +
      'It works once, within 10 minutes, in a browser on this machine; the browser then stays logged in until\n' +
      '12 hours pass without use. Grants in the browser still need the admin passphrase.',
    async run(ctx) {
      const login = await ctx.admin().dashboardLoginUrl({});
      ctx.print(login, () => `${login.url}\n(open it in a browser on this machine; it works once, until ${login.expiresAt})`);
    },
  },
];
