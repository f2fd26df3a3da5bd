/**
 * What a prompt is about: an approval (an agent wants a secret from a vault that asks first) or a
 * device request (an agent asks for a token). Its route is the renderer's `#/prompt/…` page.
 */
import type { AdminEvent } from '../shared/model.js';

export type PromptTarget = { readonly kind: 'approval'; readonly id: string } | { readonly kind: 'device'; readonly id: string };

/** The hash route, without its '#' (Electron's loadFile adds it): `/prompt/<id>` or `/prompt/device/<id>`. */
export function promptRoute(target: PromptTarget): string {
  const id = encodeURIComponent(target.id);
  switch (target.kind) {
    case 'approval':
      return `/prompt/${id}`;
    case 'device':
      return `/prompt/device/${id}`;
  }
}

export function promptKey(target: PromptTarget): string {
  return `${target.kind}:${target.id}`;
}

/** Which prompt an event opens or closes; events about anything else touch no prompt. */
export function promptChange(event: AdminEvent): { readonly open?: PromptTarget; readonly close?: PromptTarget } {
  switch (event.type) {
    case 'approval.requested':
      return event.approval.status === 'pending' ? { open: { kind: 'approval', id: event.approval.id } } : {};
    case 'approval.decided':
      return { close: { kind: 'approval', id: event.approval.id } };
    case 'device.requested':
      return event.request.status === 'pending' ? { open: { kind: 'device', id: event.request.id } } : {};
    case 'device.decided':
      return { close: { kind: 'device', id: event.request.id } };
    default:
      return {};
  }
}
