/** Shared steps of the dashboard tests in Chromium. */
import type { Page } from 'playwright-core';
import { PASSPHRASE } from '../helpers/cli.js';

export const UI_WAIT = { timeout: 20_000 };

/** The first grant of a browser tab asks "Confirm it's you"; later ones ride on the grant session the engine keeps for the tab. */
export async function confirmIfAsked(page: Page): Promise<void> {
  const field = page.getByTestId('grant-passphrase');
  const asked = await field.waitFor({ timeout: 5_000 }).then(
    () => true,
    () => false,
  );
  if (!asked) return;
  await field.fill(PASSPHRASE);
  await page.getByTestId('grant-submit').click();
  await field.waitFor({ state: 'hidden', ...UI_WAIT });
}
