import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AsyncResult,
  Celery,
  type CeleryOptions,
  chain,
  chord,
  type GroupResult,
  group,
  type Signature,
  signature,
  type TaskContext,
} from "../../runtime/index.js";

// These assertions are checked by the TypeScript compiler (`npm run typecheck`, part
// of `npm test`): a wrong type makes the build fail. The `@ts-expect-error` lines prove
// that misuse does not compile. The functions holding calls are never run.
const app = new Celery("types", { backend: "memory://" });
const add = app.task("types.add", (x: number, y: number) => x + y);
const sub = app.task("types.sub", (x: number, y: number) => x - y);
const repeat = app.task("types.repeat", (text: string, times: number) => text.repeat(times));
const fetchName = app.task("types.fetch", async (id: number) => ({ id, name: `user ${id}` }));
const xsum = app.task("types.xsum", (xs: number[]) => xs.reduce((a, b) => a + b, 0));
const double = app.task("types.double", (x: number) => x * 2);
const shout = app.task("types.shout", (text: string) => text.toUpperCase());
const bound = app.task(
  "types.bound",
  function (this: TaskContext, x: number) {
    return `${this.request.id}:${x}`;
  },
  { bind: true },
);

describe("Typed API", () => {
  it("infers a task's parameters and return type from its function", () => {
    expectTypeOf(add.delay).parameters.toEqualTypeOf<[x: number, y: number]>();
    expectTypeOf(add.delay).returns.resolves.toEqualTypeOf<AsyncResult<number>>();
    expectTypeOf(fetchName.delay).returns.resolves.toEqualTypeOf<
      AsyncResult<{ id: number; name: string }>
    >();
    expectTypeOf(bound.delay).parameters.toEqualTypeOf<[x: number]>();
    expectTypeOf(add).toBeCallableWith(2, 2);
  });

  it("makes add.delay(2, '2') a compile error", () => {
    const _misuse = () => {
      // @ts-expect-error "2" is not a number
      void add.delay(2, "2");
      // @ts-expect-error too few arguments
      void add.delay(2);
      // @ts-expect-error not an argument list of add
      void add.applyAsync(["2", 2]);
    };
    expectTypeOf(_misuse).toBeFunction();
  });

  it("resolves get() to the task's return type", () => {
    const _use = async (
      res: AsyncResult<number>,
      user: AsyncResult<{ id: number; name: string }>,
    ) => {
      expectTypeOf(await res.get()).toEqualTypeOf<number>();
      expectTypeOf(await res.get({ propagate: false })).toEqualTypeOf<number | Error>();
      expectTypeOf((await user.get({ timeout: 1 })).name).toEqualTypeOf<string>();
    };
    expectTypeOf(_use).toBeFunction();
  });

  it("types partials: s() binds the LAST parameters and delay() supplies the first", () => {
    const partial = sub.s(2); // sub(?, 2)
    expectTypeOf(partial).toEqualTypeOf<Signature<[x: number], number>>();
    expectTypeOf(partial.delay).parameters.toEqualTypeOf<[x: number]>();
    const times3 = repeat.s(3); // repeat(?, 3)
    expectTypeOf(times3.delay).parameters.toEqualTypeOf<[text: string]>();
    expectTypeOf(repeat.s("ab", 2).delay).parameters.toEqualTypeOf<[]>();
    expectTypeOf(add.si(1, 2).delay).parameters.toEqualTypeOf<[]>();
    const _misuse = () => {
      // @ts-expect-error the bound argument must be the last parameter's type
      void repeat.s("three");
      // @ts-expect-error the remaining argument is a string
      void times3.delay(3);
      // @ts-expect-error si() needs every argument
      void add.si(1);
    };
    expectTypeOf(_misuse).toBeFunction();
  });

  it("types canvases by their results", () => {
    expectTypeOf(group(add.s(1, 1), fetchName.s(1)).delay).returns.resolves.toEqualTypeOf<
      GroupResult<[number, { id: number; name: string }]>
    >();
    expectTypeOf(chain(add.s(1, 1), double.s(), double.s()).delay).returns.resolves.toEqualTypeOf<
      AsyncResult<number>
    >();
    expectTypeOf(chain(add.s(1, 1), repeat.si("ab", 2)).delay).returns.resolves.toEqualTypeOf<
      AsyncResult<string>
    >();
    expectTypeOf(chord([add.s(1, 1), add.s(2, 2)], xsum.s()).delay).returns.resolves.toEqualTypeOf<
      AsyncResult<number>
    >();
    expectTypeOf(add.s(1, 1).pipe(double.s()).delay).returns.resolves.toEqualTypeOf<
      AsyncResult<number>
    >();
    expectTypeOf(add.map([1, 2]).delay).returns.resolves.toEqualTypeOf<AsyncResult<number[]>>();
    expectTypeOf(add.starmap([[1, 2]]).delay).returns.resolves.toEqualTypeOf<
      AsyncResult<number[]>
    >();
    expectTypeOf(add.chunks([[1, 2]], 1).delay).returns.resolves.toEqualTypeOf<
      GroupResult<number[][]>
    >();
    const _misuse = () => {
      // @ts-expect-error starmap items are argument lists of add
      void add.starmap([["1", 2]]);
    };
    expectTypeOf(_misuse).toBeFunction();
  });

  it("returns exactly what the function returns from a direct call", () => {
    const n: number = add(2, 3);
    const user: Promise<{ id: number; name: string }> = fetchName(1);
    expectTypeOf(n).toEqualTypeOf<number>();
    expectTypeOf(user).toEqualTypeOf<Promise<{ id: number; name: string }>>();
    const _misuse = () => {
      // @ts-expect-error a sync task's direct call is a number, not a string
      const _s: string = add(2, 3);
      // @ts-expect-error an async task's direct call is a Promise
      const _u: { id: number } = fetchName(1);
    };
    expectTypeOf(_misuse).toBeFunction();
  });

  it("checks each chain step and chord body against what runs before it", () => {
    // accepted: each step takes the previous result; si() and signatures by name take anything
    void chain(add.s(1, 1), double.s(), double.s());
    void chain([add.s(1, 1), double.s()]);
    void chain(add.s(1, 1), shout.si("x"), repeat.s(2));
    void chain(add.s(1, 1), signature("types.by_name"));
    void chain(group(add.s(1, 1), add.s(2, 2)), xsum.s());
    void chain(group(add.s(1, 1)), double.s()); // a group of one is unrolled in a chain
    void chord([add.s(1, 1), add.s(2, 2)], xsum.s());
    void chord(group(add.s(1, 1), add.s(2, 2)), xsum.s());
    void group(add.s(1, 1), add.s(2, 2)).pipe(xsum.s());
    void add.s(1, 1).pipe(double.s());
    const _misuse = () => {
      // @ts-expect-error repeat's first parameter is a string, add returns a number
      void chain(add.s(1, 1), repeat.s(2));
      // @ts-expect-error the third step gets double's number, shout takes a string
      void chain(add.s(1, 1), double.s(), shout.s());
      // @ts-expect-error sub needs two arguments; a chain step gets one
      void chain(add.s(1, 1), sub.s());
      // @ts-expect-error the array form is checked too
      void chain([add.s(1, 1), shout.s()]);
      // @ts-expect-error the body gets the list of header results, not one number
      void chord([add.s(1, 1), add.s(2, 2)], double.s());
      // @ts-expect-error the body gets numbers, shout takes a string
      void chord([add.s(1, 1)], shout.s());
      // @ts-expect-error pipe is checked as a chain step
      void add.s(1, 1).pipe(repeat.s(2));
      // @ts-expect-error a group piped into a body is a chord: the body gets the list
      void group(add.s(1, 1), add.s(2, 2)).pipe(double.s());
    };
    expectTypeOf(_misuse).toBeFunction();
  });

  it("refuses a fully bound mutable step after the first, and takes si() anywhere", () => {
    const ping = app.task("types.ping", () => "pong");
    // accepted: fully bound first steps, immutable later steps, and builtins that ignore
    // the previous result (map, starmap, chunks are immutable)
    void chain(add.s(1, 1), double.s());
    void chain(add.s(1, 1), add.si(2, 2));
    void chain(add.si(1, 1), add.si(2, 2), double.s());
    void chain(add.s(1, 1), ping.si());
    void chain(add.s(1, 1), add.map([1, 2]));
    void chain(add.s(1, 1), add.starmap([[1, 2]]));
    void chain(add.s(1, 1), add.chunks([[1, 2]], 1));
    void add.s(1, 1).pipe(add.si(2, 2));
    void chord([add.s(1, 1)], ping.si());
    const _misuse = () => {
      // @ts-expect-error add.s(2, 2) has all its arguments bound: the previous result would be one too many
      void chain(add.s(1, 1), add.s(2, 2));
      // @ts-expect-error the same for a third step
      void chain(add.s(1, 1), double.s(), add.s(2, 2));
      // @ts-expect-error the array form is checked too
      void chain([add.s(1, 1), add.s(2, 2)]);
      // @ts-expect-error a task without parameters takes no previous result either: use ping.si()
      void chain(add.s(1, 1), ping.s());
      // @ts-expect-error pipe is checked as a chain step
      void add.s(1, 1).pipe(add.s(2, 2));
      // @ts-expect-error a chord body gets the header's results as its first argument
      void chord([add.s(1, 1)], add.s(2, 2));
      // @ts-expect-error a chain whose first step is fully bound, as a later step
      void chain(add.s(1, 1), chain(add.s(2, 2), double.s()));
    };
    expectTypeOf(_misuse).toBeFunction();
  });

  it("takes the AWS SDK's own clients as sqsClient and dynamoDBClient, and nothing else", () => {
    const _options = (sqs: SQSClient, dynamo: DynamoDBClient): CeleryOptions => ({
      sqsClient: sqs,
      dynamoDBClient: dynamo,
    });
    const _misuse = (): CeleryOptions => ({
      // @ts-expect-error a plain object is not an SQSClient
      sqsClient: { send: () => undefined },
    });
    expectTypeOf(_options).toBeFunction();
    expectTypeOf(_misuse).toBeFunction();
  });

  it("flags at app.task() a parameter that cannot travel as JSON", () => {
    // accepted: JSON values, arrays and objects of them, unknown, an optional kwargs object
    app.task("types.json_ok", (_a: number, _b: string[], _c: { x: number; y?: string }) => 1);
    app.task("types.json_unknown", (_a: unknown, _kwargs?: { flag?: boolean }) => 1);
    const _misuse = () => {
      // @ts-expect-error a Date arrives as a string
      app.task("types.date", (_when: Date) => 1);
      // @ts-expect-error a Map arrives as {}
      app.task("types.map", (_m: Map<string, number>) => 1);
      // @ts-expect-error a function cannot be sent
      app.task("types.fn", (_cb: () => void) => 1);
      // @ts-expect-error nested: an object holding a Date
      app.task("types.nested", (_o: { at: Date }) => 1);
    };
    expectTypeOf(_misuse).toBeFunction();
  });
});
