/**
 * The seed tour's steps: every example of Celery's "Next Steps" and "Canvas" guides,
 * each printed with its result. `tour.ts` chooses where they run.
 */
import { inspect } from "node:util";
import {
  type AsyncResult,
  chain,
  chord,
  type GroupResult,
  group,
  signature,
} from "../../runtime/index.js";
import { app } from "./celery.js";
import { add, logError, mul, raisingTask, resetBuffers, xsum } from "./tasks.js";

const range = (n: number) => [...Array(n).keys()];
const zip = <A, B>(a: A[], b: B[]): [A, B][] => a.map((x, i) => [x, b[i]!]);
const T = { timeout: 10 };

function show(code: string, value: unknown): void {
  const text =
    typeof value === "string" ? value : inspect(value, { depth: 4, breakLength: 120, compact: 3 });
  console.log(`>>> ${code}\n${text}`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function runTour(): Promise<void> {
  const worker = app.worker({ concurrency: 8 });
  await worker.start();
  console.log(
    `Celeriac tour: app '${app.name}', broker ${app.broker.description}, results ${app.backend.description}\n`,
  );

  console.log("## Calling tasks");
  let res = await add.delay(2, 2);
  show("await (await add.delay(2, 2)).get({ timeout: 10 })", await res.get(T));
  const later = await add.applyAsync([2, 2], {}, { queue: "lopri", countdown: 10 });
  show(
    "await add.applyAsync([2, 2], {}, { queue: 'lopri', countdown: 10 }).state()",
    await later.state(),
  );
  show("add(2, 2)", add(2, 2));
  show("res.id", res.id);

  console.log("\n## Failures and states");
  res = await add.applyAsync([2, "2"] as unknown as [number, number]);
  show("await res.get({ timeout: 10 })  // add(2, '2')", await res.get(T).catch(errorText));
  show("await res.get({ propagate: false })", errorText(await res.get({ ...T, propagate: false })));
  show("await res.failed()", await res.failed());
  show("await res.successful()", await res.successful());
  show("await res.state()", await res.state());
  show("(await res.traceback())?.split('\\n')[0]", (await res.traceback())?.split("\n")[0]);
  show(
    "await app.asyncResult('this-id-does-not-exist').state()",
    await app.asyncResult("this-id-does-not-exist").state(),
  );

  console.log("\n## Signatures and partials");
  show(
    "add.signature([2, 2], {}, { countdown: 10 }).toJSON()",
    add.signature([2, 2], {}, { countdown: 10 }).toJSON(),
  );
  show("add.s(2, 2).toString()", add.s(2, 2).toString());
  show("await (await add.s(2, 2).delay()).get()", await (await add.s(2, 2).delay()).get(T));
  show(
    "await (await add.s(2).delay(8)).get()  // add(8, 2)",
    await (await add.s(2).delay(8)).get(T),
  );
  show(
    "signature('proj.tasks.add', { args: [2, 2], options: { countdown: 10 } }).options",
    signature("proj.tasks.add", { args: [2, 2], options: { countdown: 10 } }).options,
  );
  show(
    "add.s(2).clone({ args: [4], kwargs: { debug: true } }).toString()",
    add
      .s(2)
      .clone({ args: [4], kwargs: { debug: true } })
      .toString(),
  );

  console.log("\n## Callbacks and errbacks");
  res = await add.applyAsync([2, 2], {}, { link: mul.s(16) });
  await res.get(T);
  const [child] = await res.children();
  show("add.applyAsync([2, 2], {}, { link: mul.s(16) }) -> child.get()", await child!.get(T));
  res = await add.applyAsync([2, 2], {}, { link: resetBuffers.si() });
  await res.get(T);
  show(
    "add.applyAsync([2, 2], {}, { link: resetBuffers.si() }) -> child.get()",
    await (await res.children())[0]!.get(T),
  );
  const errback = logError.s();
  const errbackResult = errback.freeze() as AsyncResult<string>;
  await add
    .s(2, "2" as unknown as number)
    .onError(errback)
    .delay();
  show("add.s(2, '2').onError(logError.s()).delay() -> errback", await errbackResult.get(T));

  console.log("\n## Groups");
  show(
    "await (await group(range(10).map((i) => add.s(i, i))).delay()).get()",
    await (await group(range(10).map((i) => add.s(i, i))).delay()).get(T),
  );
  show(
    "await (await group(range(10).map((i) => add.s(i))).delay(10)).get()",
    await (await group(range(10).map((i) => add.s(i))).delay(10)).get(T),
  );
  const job = group([add.s(2, 2), add.s(4, 4), add.s(8, 8), add.s(16, 16), add.s(32, 32)]);
  const gres: GroupResult<number[]> = await job.applyAsync();
  show("await gres.get()", await gres.get(T));
  show("await gres.ready()", await gres.ready());
  show("await gres.successful()", await gres.successful());
  show("await gres.failed()", await gres.failed());
  show("await gres.waiting()", await gres.waiting());
  show("await gres.completedCount()", await gres.completedCount());
  await gres.save();
  show(
    "(await app.groupResult(gres.id))?.results.length",
    (await app.groupResult(gres.id))?.results.length,
  );

  console.log("\n## Chains");
  show(
    "await (await chain(add.s(4, 4), mul.s(8)).delay()).get()",
    await (await chain(add.s(4, 4), mul.s(8)).delay()).get(T),
  );
  show(
    "await (await chain(add.s(4), mul.s(8)).delay(4)).get()  // (4 + 4) * 8",
    await (await chain(add.s(4), mul.s(8)).delay(4)).get(T),
  );
  show(
    "await (await add.s(4, 4).pipe(mul.s(8)).delay()).get()",
    await (await add.s(4, 4).pipe(mul.s(8)).delay()).get(T),
  );
  const cres = await chain(add.s(4, 4), mul.s(8), mul.s(10)).delay();
  show("await cres.get()  // chain(add.s(4, 4), mul.s(8), mul.s(10))", await cres.get(T));
  show("await cres.parent.get()", await cres.parent!.get(T));
  show("await cres.parent.parent.get()", await cres.parent!.parent!.get(T));
  const ires = await add.si(2, 2).pipe(add.si(4, 4)).pipe(add.si(8, 8)).delay();
  show("(add.si(2, 2) | add.si(4, 4) | add.si(8, 8)): get, parent, grandparent", [
    await ires.get(T),
    await ires.parent!.get(T),
    await ires.parent!.parent!.get(T),
  ]);

  console.log("\n## Chords");
  show(
    "await (await chord(range(10).map((i) => add.s(i, i)), xsum.s()).delay()).get()",
    await (
      await chord(
        range(10).map((i) => add.s(i, i)),
        xsum.s(),
      ).delay()
    ).get(T),
  );
  show(
    "await (await group(range(10).map((i) => add.s(i, i))).pipe(xsum.s()).delay()).get()",
    await (
      await group(range(10).map((i) => add.s(i, i)))
        .pipe(xsum.s())
        .delay()
    ).get(T),
  );
  show(
    "await (await chord(range(100).map((i) => add.s(i, i)), xsum.s()).delay()).get()",
    await (
      await chord(
        range(100).map((i) => add.s(i, i)),
        xsum.s(),
      ).delay()
    ).get(T),
  );
  const bad = await chord([add.s(4, 4), raisingTask.s(), add.s(8, 8)], xsum.s()).delay();
  show(
    "await chord([add.s(4, 4), raisingTask.s(), add.s(8, 8)], xsum.s()) -> get()",
    await bad.get(T).catch(errorText),
  );

  console.log("\n## map, starmap, chunks");
  show(
    "await (await xsum.map([range(10), range(100)]).delay()).get()",
    await (await xsum.map([range(10), range(100)]).delay()).get(T),
  );
  show(
    "await (await add.starmap(zip(range(10), range(10))).delay()).get()",
    await (await add.starmap(zip(range(10), range(10))).delay()).get(T),
  );
  const chunks = await add.chunks(zip(range(100), range(100)), 10).delay();
  show(
    "await (await add.chunks(zip(range(100), range(100)), 10).delay()).get()",
    await chunks.get(T),
  );

  console.log("\n## collect and the graph");
  res = await add.applyAsync([2, 2], {}, { link: mul.s(16) });
  const collected: [string, unknown][] = [];
  for await (const [r, value] of res.collect(T)) collected.push([String(r), value]);
  show("for await (const [r, v] of res.collect()) ...", collected);
  await cres.get(T);
  const graph = await (cres.parent!.parent as AsyncResult).graph();
  show("(await cres.parent.parent.graph()).toString()", graph.toString());
  show("(await cres.parent.parent.graph()).toDot()", graph.toDot().trimEnd());

  console.log("\n## The countdown from the start");
  show(
    "await later.get()  // add(2, 2) on lopri, 10 s after it was sent",
    await later.get({ timeout: 20 }),
  );

  await worker.stop();
  await app.close();
}
