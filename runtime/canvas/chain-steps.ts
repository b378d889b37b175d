import { Chord } from "./chord.js";
import { Group } from "./group.js";
import { Chunks } from "./xmap.js";
import type { AnySignature } from "./signature.js";

/** Builds a chain of `steps` (the Chain class registers itself here). */
export type ChainFactory = (steps: AnySignature[]) => AnySignature;

/**
 * Celery's chain composition rules, applied left to right:
 * - a nested chain is spliced in;
 * - a group of one member is unrolled to that member, an empty group is dropped;
 * - a group followed by a step becomes a chord with that step as its body;
 * - a step after a chord is chained onto the chord's body.
 * After this, only the last step can be a group or a chord.
 */
export function normaliseSteps(
  tasks: readonly AnySignature[],
  isChain: (s: AnySignature) => s is AnySignature & { tasks: AnySignature[] },
  makeChain: ChainFactory,
): AnySignature[] {
  const out: AnySignature[] = [];
  const add = (step: AnySignature): void => {
    if (isChain(step)) {
      for (const t of step.tasks) add(t);
      return;
    }
    if (step instanceof Chunks) {
      add(step.group());
      return;
    }
    if (step instanceof Group) {
      const members = step.flatMembers();
      if (members.length === 0) return;
      if (members.length === 1) {
        add(members[0]!);
        return;
      }
    }
    const last = out.at(-1);
    if (last instanceof Group) {
      out[out.length - 1] = new Chord(last, step);
    } else if (last instanceof Chord && last.body) {
      const body = last.body;
      out[out.length - 1] = last.sharingHeader(
        makeChain(isChain(body) ? [...body.tasks, step] : [body, step]),
      );
    } else {
      out.push(step);
    }
  };
  for (const t of tasks) add(t);
  return out;
}
