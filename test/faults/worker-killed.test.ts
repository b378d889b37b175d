import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drained } from "../support/aws-app.js";
import { localAwsTarget } from "../support/emulators.js";
import { deadLetters, type FaultEnv, faultEnv, figuresLine } from "../support/faults/fault-env.js";
import { seededRandom } from "../support/faults/random.js";
import {
  RunCounts,
  registerFaultTasks,
  sendWorkflows,
  settle,
} from "../support/faults/workflows.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = "test/faults/fixtures/kill-worker.ts";
const KILLS = 3;
/** Seconds each result may take; a killed run's messages come back after the 10 s visibility timeout. */
const RESULT_SECONDS = 120;
/**
 * A run of a chord body or `once` task may repeat when its process is killed after the
 * task returned and before its terminal record landed: the window "once" leaves open.
 * A repeat is put down to that window only when the earlier run's process was killed and
 * had not written the task's terminal record (the fixture logs each write it saw answered).
 */
interface Run {
  tag: string;
  pid: number;
  at: number;
  taskId: string;
}

describe(
  "Workflows while the worker process is killed (SIGKILL) and restarted",
  { timeout: 240_000 },
  () => {
    let env: FaultEnv;
    let dir: string;
    let child: ChildProcess | undefined;
    const kills: { pid: number; at: number }[] = [];
    const figures = { wrong: 0, lost: 0, twice: 0, runs: 0 };
    let recovery: number[] = [];

    /** Starts a worker process and resolves once it says it consumes. */
    async function startWorker(): Promise<ChildProcess> {
      const proc = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
        cwd: ROOT,
        env: {
          ...process.env,
          FAULTS_APP: env.worker.app.name,
          FAULTS_SQS_ENDPOINT: localAwsTarget().sqsEndpoint,
          FAULTS_DYNAMODB_ENDPOINT: localAwsTarget().dynamodbEndpoint,
          FAULTS_RUNS_FILE: join(dir, "runs.txt"),
        },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("worker process not ready within 30 s")),
          30_000,
        );
        proc.stdout?.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("ready")) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.once("exit", (code) =>
          reject(new Error(`worker process exited (${code}) before it was ready`)),
        );
      });
      await ready;
      return proc;
    }

    /** The lines of the runs file, split at spaces. */
    function runLines(): string[][] {
      let text = "";
      try {
        text = readFileSync(join(dir, "runs.txt"), "utf8");
      } catch {
        return [];
      }
      return text
        .split("\n")
        .filter((l) => l.length > 0)
        .map((l) => l.split(" "));
    }

    /** Each task function call (tag `-`) and each chord body or `once` run. */
    function runs(): Run[] {
      return runLines()
        .filter(([tag]) => tag !== "stored")
        .map(([tag = "", pid = "0", at = "0", taskId = ""]) => ({
          tag,
          pid: Number(pid),
          at: Number(at),
          taskId,
        }));
    }

    /** `<task id> <pid>` of every terminal record write a worker process saw answered. */
    function storedBy(): Set<string> {
      return new Set(
        runLines()
          .filter(([tag]) => tag === "stored")
          .map(([, taskId, pid]) => `${taskId} ${pid}`),
      );
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "celeriac-kill-"));
      // the worker app here only creates the queues and the table: the child process consumes
      env = await faultEnv(localAwsTarget(), { suite: "worker killed" });
      child = await startWorker();
    });
    afterAll(async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      if (env) {
        env.log.counts.set("worker-killed", kills.length);
        const sorted = [...recovery].sort((a, b) => a - b);
        console.log(
          figuresLine({
            suite: "worker killed",
            seed: env.seed,
            log: env.log,
            tasksRun: figures.runs,
            wrong: figures.wrong,
            lost: figures.lost,
            bodiesTwice: figures.twice,
          }).replace(
            /recovery .*$/,
            `recovery p50 ${sorted[Math.floor((sorted.length - 1) / 2)] ?? "-"} ms max ${sorted.at(-1) ?? "-"} ms (${sorted.length} kills)`,
          ),
        );
        await env.close();
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it("gives every result right, runs each chord body and once task to completion once (but for a kill's window), and drains", async () => {
      const random = seededRandom(env.seed);
      const tasks = registerFaultTasks(env.producer, new RunCounts());
      // a set of workflows before each kill, and one after the last restart
      const sets = [await sendWorkflows(tasks, "w0")];
      for (let k = 0; k < KILLS; k++) {
        // the fault's moment: a random delay is the point here, not a wait for something
        await new Promise((r) => setTimeout(r, 200 + Math.floor(random() * 1500)));
        const victim = child!;
        victim.kill("SIGKILL");
        await once(victim, "exit");
        kills.push({ pid: victim.pid ?? 0, at: Date.now() });
        child = await startWorker();
        sets.push(await sendWorkflows(tasks, `w${k + 1}`));
      }
      const sent = {
        checks: sets.flatMap((s, i) =>
          s.checks.map((c) => ({ ...c, name: `set ${i}: ${c.name}` })),
        ),
        onceTags: sets.flatMap((s) => s.onceTags),
      };
      const outcomes = await settle(sent.checks, RESULT_SECONDS);
      figures.wrong = outcomes.wrong.length;
      figures.lost = outcomes.lost.length;
      // Recovery per kill: from the kill until every result that was not ready at it is ready.
      recovery = kills.flatMap(({ at }) => {
        const later = [...outcomes.readyAt.values()].filter((t) => t > at);
        return later.length > 0 ? [Math.max(...later) - at] : [];
      });
      expect(outcomes.wrong, `wrong results (seed ${env.seed})`).toEqual([]);
      expect(outcomes.lost, `lost results (seed ${env.seed})`).toEqual([]);
      await drained(env.worker.app, env.producerSqs, RESULT_SECONDS * 1000);
      expect(await deadLetters(env.worker.app, env.producerSqs)).toEqual({ celery: 0 });

      const all = runs();
      const stored = storedBy();
      const killed = new Set(kills.map((k) => k.pid));
      expect(stored.size, "terminal writes logged by the worker processes").toBeGreaterThan(0);
      expect(all.filter((r) => r.tag !== "-" && !r.taskId.match(/^[0-9a-f-]{36}$/))).toEqual([]);
      figures.runs = all.filter((r) => r.tag === "-").length;
      const unexplained: Record<string, Run[]> = {};
      for (const tag of sent.onceTags) {
        const mine = all.filter((r) => r.tag === tag);
        // an earlier run explained: killed before its process wrote the terminal record
        const repeats = mine
          .slice(0, -1)
          .filter((r) => !killed.has(r.pid) || stored.has(`${r.taskId} ${r.pid}`));
        if (mine.length > 1) {
          figures.twice++;
          console.log(
            `[faults] worker killed: ${tag} ran ${mine.length} times: ${JSON.stringify(mine)}; kills ${JSON.stringify(kills)}`,
          );
        }
        if (mine.length === 0 || repeats.length > 0) unexplained[tag] = mine;
      }
      expect(
        unexplained,
        `chord bodies and once tasks not run exactly once (seed ${env.seed})`,
      ).toEqual({});
      expect(kills).toHaveLength(KILLS);
    });
  },
);
