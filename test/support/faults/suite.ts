import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drained } from "../aws-app.js";
import { localAwsTarget } from "../emulators.js";
import {
  deadLetters,
  type FaultEnv,
  type FaultEnvOptions,
  faultEnv,
  figuresLine,
} from "./fault-env.js";
import type { FaultKind } from "./fault-log.js";
import {
  notRunOnce,
  type Outcomes,
  RunCounts,
  registerFaultTasks,
  sendWorkflows,
  settle,
} from "./workflows.js";

/** Seconds each result may take: generous, for a loaded 2-core machine, but bounded. */
const RESULT_SECONDS = 90;

/**
 * Chains, groups, chords (nested both ways), retried and `once` tasks on SQS + DynamoDB
 * while the worker's clients inject the faults of `options`; the suite checks what a
 * user sees and prints its figures line.
 */
export function describeFaultSuite(options: FaultEnvOptions & { expectKinds: FaultKind[] }): void {
  describe(`Workflows under faults: ${options.suite}`, { timeout: 180_000 }, () => {
    let env: FaultEnv;
    const counts = new RunCounts();
    let outcomes: Outcomes | undefined;
    let twice = 0;

    beforeAll(async () => {
      env = await faultEnv(localAwsTarget(), options);
      registerFaultTasks(env.worker.app, counts);
      await env.worker.worker.start();
    });
    afterAll(async () => {
      if (env) {
        console.log(
          figuresLine({
            suite: options.suite,
            seed: env.seed,
            log: env.log,
            tasksRun: counts.runs,
            wrong: outcomes?.wrong.length ?? 0,
            lost: outcomes?.lost.length ?? 0,
            bodiesTwice: twice,
          }),
        );
        await env.close();
      }
    });

    it("gives every result right, runs each chord body and once task once, and drains", async () => {
      const tasks = registerFaultTasks(env.producer, new RunCounts());
      const first = await sendWorkflows(tasks, "a");
      const second = await sendWorkflows(tasks, "b");
      outcomes = await settle([...first.checks, ...second.checks], RESULT_SECONDS);
      expect(outcomes.wrong, `wrong results (seed ${env.seed})`).toEqual([]);
      expect(outcomes.lost, `lost results (seed ${env.seed})`).toEqual([]);
      // every copy of every message consumed: no late copy can still run a body after this
      await drained(env.worker.app, env.producerSqs, RESULT_SECONDS * 1000);
      const off = notRunOnce(counts, [...first.onceTags, ...second.onceTags]);
      twice = Object.values(off).filter((n) => n > 1).length;
      expect(off, `chord bodies and once tasks not run exactly once (seed ${env.seed})`).toEqual(
        {},
      );
      expect(await deadLetters(env.worker.app, env.producerSqs)).toEqual({ celery: 0 });
      for (const kind of options.expectKinds)
        expect(env.log.counts.get(kind) ?? 0, `faults of kind ${kind} injected`).toBeGreaterThan(0);
    });
  });
}
