import type { SignatureJSON } from "../canvas/signature-json.js";

/**
 * The task ids whose results a frozen signature will produce, which a failure upstream
 * must fail too so nobody waits forever: a task's own id, every step of a chain, every
 * member of a group, and a chord's body (its header never runs).
 */
export function resultIdsOf(sig: SignatureJSON): string[] {
  const kw = sig.kwargs as Record<string, unknown>;
  switch (sig.subtask_type) {
    case "chain":
      return ((kw.tasks ?? []) as SignatureJSON[]).flatMap(resultIdsOf);
    case "group":
      return ((kw.tasks ?? []) as SignatureJSON[]).flatMap(resultIdsOf);
    case "chord":
      return kw.body ? resultIdsOf(kw.body as SignatureJSON) : [];
    default: {
      const id = sig.options?.task_id;
      return typeof id === "string" ? [id] : [];
    }
  }
}

/** The errbacks a frozen signature carries, with the id of the task each belongs to. */
export function errbacksOf(sig: SignatureJSON): { taskId: string; errback: SignatureJSON }[] {
  const kw = sig.kwargs as Record<string, unknown>;
  switch (sig.subtask_type) {
    case "chain": {
      // A chain's errbacks are copied onto every step; the first step's run once.
      const first = ((kw.tasks ?? []) as SignatureJSON[])[0];
      return first ? errbacksOf(first) : [];
    }
    case "group":
      return ((kw.tasks ?? []) as SignatureJSON[]).flatMap(errbacksOf);
    case "chord":
      return kw.body ? errbacksOf(kw.body as SignatureJSON) : [];
    default: {
      const id = sig.options?.task_id;
      const list = (sig.options?.link_error ?? []) as unknown as SignatureJSON[];
      return typeof id === "string" ? list.map((errback) => ({ taskId: id, errback })) : [];
    }
  }
}
