/**
 * Run by test/semantics/sdk-on-demand.test.ts under ./forbid-sdk.mjs, which fails any
 * import of the AWS SDK. `memory` runs a task on the embedded runtime; `aws` makes an
 * app on `sqs://` and `dynamodb://`, then asks its broker, then its backend, to load.
 * Prints one JSON line per step.
 */
import { Celery } from "../../../runtime/index.js";

const mode = process.argv[2];
const say = (step: object) => console.log(JSON.stringify(step));

if (mode === "memory") {
  const app = new Celery("probe", { broker: "memory://", backend: "memory://" });
  const add = app.task("probe.add", (x: number, y: number) => x + y);
  const worker = app.worker({ concurrency: 1 });
  await worker.start();
  const result = await (await add.delay(2, 2)).get({ timeout: 10 });
  await worker.stop();
  await app.close();
  say({ result });
} else if (mode === "aws") {
  const app = new Celery("probe", { broker: "sqs://", backend: "dynamodb://probe-results" });
  say({ made: `${app.broker.description} ${app.backend.description}` });
  for (const [name, port] of [
    ["broker", app.broker],
    ["backend", app.backend],
  ] as const) {
    const error = await port.prepare?.().then(
      () => undefined,
      (e: unknown) => e,
    );
    say({ [name]: error instanceof Error ? error.message : "loaded without the SDK" });
  }
} else {
  throw new Error(`app-without-sdk.ts: mode must be 'memory' or 'aws', got ${mode}`);
}
