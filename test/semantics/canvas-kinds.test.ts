import { describe, expect, it } from "vitest";
// Only the base class and the module that wires the kinds into it: no app, no entry.
import "../../runtime/canvas/kinds.js";
import { Signature } from "../../runtime/canvas/signature.js";

describe("Canvas kinds, wired in one module (canvas/kinds.ts)", () => {
  it("gives the base class Celery's | and a reader for every subtask_type", () => {
    const piped = new Signature("k.a").pipe(new Signature("k.b"));
    expect(piped.subtaskType).toBe("chain");
    for (const kind of ["chain", "group", "chord"] as const) {
      const json = kind === "chord" ? { header: [], body: null } : { tasks: [] };
      const sig = Signature.fromJSON({
        task: `celery.${kind}`,
        args: [],
        kwargs: json,
        options: {},
        subtask_type: kind,
        immutable: false,
      });
      expect(sig.subtaskType).toBe(kind);
    }
  });
});
