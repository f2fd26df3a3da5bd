/**
 * Import by drag and drop, in Debian's Chromium against headless mode: a Bitwarden JSON export is
 * dropped (a real DataTransfer with a File) on the Vaults page's drop zone, the dry run shows the
 * counts the engine's own parser finds, the person confirms, and the entries are in the new vault.
 * Then a Chrome CSV is chosen with the file picker in Settings and imported into that vault, and a
 * malformed file's error names the file and the line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImport } from '../../src/core/import/parse-import.js';
import { planImport, type PlanSummary } from '../../src/core/import/import-plan.js';
import { browserAvailability, type Browser } from '../helpers/browser.js';
import { tempHome } from '../helpers/temp-home.js';
import { FIXTURES } from '../core/import/import-fixtures.js';
import type { HeadlessDaemon } from './headless-daemon.js';
import { confirmIfAsked, openDashboard, UI_WAIT, unlockInBrowser } from './dashboard-page.js';

const chromium = browserAvailability();

/** What the engine's parser makes of a fixture: the numbers the page must show. */
async function expectedPlan(name: string): Promise<PlanSummary> {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  return planImport(await parseImport({ name, bytes }), new Set(), false).summary;
}

/** A drop as the browser makes it: a DragEvent whose DataTransfer holds the file. */
async function dropFile(page: Page, testId: string, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name: fileName, text: content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], fileName, { type: 'application/json' }));
      return dt;
    },
    { name, text },
  );
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

const count = async (page: Page, id: string) => Number(await page.getByTestId(`import-count-${id}`).textContent());

describe.skipIf(chromium.skip)(`import by drag and drop in Chromium ${chromium.reason}`, () => {
  const home = tempHome('vk-dnd-');
  let daemon: HeadlessDaemon;
  let b: Browser;
  let page: Page;

  beforeAll(async () => {
    ({ daemon, b, page } = await openDashboard(home.dir));
    await unlockInBrowser(page, daemon.loginUrl);
  });
  afterAll(async () => {
    await b?.close();
    await daemon?.stop();
    home.cleanup();
  });

  it('drops a Bitwarden export on the Vaults page, shows the dry run, imports on confirmation', async () => {
    const expected = await expectedPlan('bitwarden.json');
    expect(expected.toImport).toBeGreaterThan(0);
    await page.getByTestId('nav-vaults').click();
    await dropFile(page, 'import-drop-zone', 'bitwarden.json', readFileSync(join(FIXTURES, 'bitwarden.json'), 'utf8'));
    await page.getByTestId('import-dialog').waitFor(UI_WAIT);
    await confirmIfAsked(page, () => page.getByTestId('import-preview-result').waitFor(UI_WAIT));

    expect(await count(page, 'new')).toBe(expected.toImport);
    expect(await count(page, 'login')).toBe(expected.byKind.login);
    expect(await count(page, 'api_key')).toBe(expected.byKind.api_key);
    expect(await count(page, 'note')).toBe(expected.byKind.note);
    expect(await count(page, 'skipped')).toBe(expected.skippedCount);
    expect(await count(page, 'duplicates')).toBe(0);
    if (expected.skippedCount > 0) {
      const reasons = (await page.getByTestId('import-notes-skipped').textContent()) ?? '';
      expect(reasons).toContain(expected.skipped[0]?.reason ?? '');
    }
    expect(await page.getByTestId('import-new-vault').inputValue()).toBe('bitwarden');

    await page.getByTestId('import-run').click();
    await confirmIfAsked(page, () => expect.poll(() => page.getByTestId('import-result').textContent(), UI_WAIT).toContain(`Imported ${expected.toImport} entries into bitwarden`));
    await page.getByTestId('import-done').click();
    await expect.poll(() => page.getByTestId('vault-title').textContent(), UI_WAIT).toBe('bitwarden');
    await expect.poll(() => page.getByTestId('entry-item').count(), UI_WAIT).toBe(expected.toImport);
  });

  it('takes a file from the picker in Settings into an existing vault, and says which file and line is broken', async () => {
    const expected = await expectedPlan('chrome.csv');
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-import');
    await section.getByTestId('import-file').setInputFiles(join(FIXTURES, 'chrome.csv'));
    await page.getByTestId('import-dialog').waitFor(UI_WAIT);
    await page.getByTestId('import-vault').selectOption({ label: 'bitwarden' });
    await page.getByTestId('import-preview').click();
    await confirmIfAsked(page, () => page.getByTestId('import-preview-result').waitFor(UI_WAIT));
    expect(await count(page, 'new')).toBe(expected.toImport);
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-result').waitFor(UI_WAIT);
    await page.getByTestId('import-done').click();

    await dropFile(page, 'import-drop-zone', 'broken.json', '{"encrypted": false, "items": [{"type": 1, "name": "x"');
    await page.getByTestId('import-dialog').waitFor(UI_WAIT);
    const error = page.getByTestId('import-error');
    await error.waitFor(UI_WAIT);
    expect(await error.textContent()).toMatch(/broken\.json, line 1/);
    await page.getByTestId('import-cancel').click();
  });
});
