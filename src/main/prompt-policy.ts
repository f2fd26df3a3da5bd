/**
 * How many prompt windows may stand open. A flood of agent requests must not cover the screen
 * with windows (docs/security.md attack 30 caps device prompts at 3 per agent; this caps them all):
 * past the cap an engine event adds only to the tray badge, while a person's click always opens.
 */
import { promptKey, type PromptTarget } from './prompt-target.js';

export const MAX_AUTOMATIC_PROMPTS = 3;

export type PromptOpenDecision = 'focus' | 'open' | 'skip';

export function promptOpenDecision(
  openKeys: ReadonlySet<string>,
  target: PromptTarget,
  automatic: boolean,
  max: number = MAX_AUTOMATIC_PROMPTS,
): PromptOpenDecision {
  if (openKeys.has(promptKey(target))) return automatic ? 'skip' : 'focus';
  if (automatic && openKeys.size >= max) return 'skip';
  return 'open';
}
