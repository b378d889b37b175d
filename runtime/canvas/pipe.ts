import { Chain } from "./chain.js";
import { Chord } from "./chord.js";
import { Group } from "./group.js";
import type { AnySignature } from "./signature.js";

/**
 * Celery's `|` between any two signatures: a group piped into anything is a chord, a
 * step piped onto a chord joins its body, and anything else makes (or extends) a chain.
 */
export function pipe(left: AnySignature, right: AnySignature): AnySignature {
  if (left instanceof Group) {
    if (right instanceof Group && right.tasks.length === 0) return left;
    return new Chord(left, right);
  }
  if (left instanceof Chord && left.body) {
    const unrolled = right instanceof Group && right.tasks.length === 1 ? right.tasks[0]! : right;
    return left.withBody(left.body.pipe(unrolled));
  }
  const leftTasks = left instanceof Chain ? left.tasks : [left];
  const rightTasks = right instanceof Chain ? right.tasks : [right];
  return new Chain([...leftTasks, ...rightTasks]);
}
