/**
 * Which malformed requests are sent: first every (route, defect, listener) once, systematically;
 * then random combinations of one to three defects from different slots, from the seeded PRNG.
 */
import type { Outgoing, Target } from './keep-alive-client.js';
import { defectsFor, type Defect } from './malformed-defects.js';
import { baseDraft, finalize, ROUTE_NAMES, type FuzzContext, type RouteName } from './malformed-draft.js';
import type { Random } from './seeded-random.js';

export interface CaseSpec {
  readonly route: RouteName;
  readonly defects: readonly Defect[];
  readonly via: Target['via'];
}

export interface HttpCase {
  readonly label: string;
  /** Oversized or unparseable input: Node may reset the connection while the client still writes. */
  readonly mayReset: boolean;
  readonly target: Target;
  readonly out: Outgoing;
}

const RESETTING = /16 KiB|64 KiB|unknown token/;

export function systematicSpecs(): CaseSpec[] {
  return ROUTE_NAMES.flatMap((route) => defectsFor(route).flatMap((d) => (['tcp', 'socket'] as const).map((via) => ({ route, defects: [d], via }))));
}

export function randomSpec(rng: Random, index: number): CaseSpec {
  const route = rng.pick(ROUTE_NAMES);
  const pool = defectsFor(route);
  const wanted = 1 + rng.int(3);
  const chosen: Defect[] = [];
  for (let tries = 0; chosen.length < wanted && tries < 20; tries++) {
    const d = rng.pick(pool);
    if (!chosen.some((c) => c.slot === d.slot)) chosen.push(d);
  }
  return { route, defects: chosen, via: index % 2 === 0 ? 'tcp' : 'socket' };
}

export function buildCase(spec: CaseSpec, ctx: FuzzContext, targets: Readonly<Record<Target['via'], Target>>, rng: Random): HttpCase {
  const target = targets[spec.via];
  const draft = baseDraft(spec.route, ctx, rng);
  for (const d of spec.defects) d.apply(draft, ctx, target, rng);
  return {
    label: `${spec.route} [${spec.defects.map((d) => d.name).join(' + ')}] over ${spec.via}`,
    mayReset: spec.defects.some((d) => RESETTING.test(d.name)),
    target,
    out: finalize(draft, target),
  };
}
