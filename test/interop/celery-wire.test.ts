import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCeleryMeta, fromCeleryMeta } from "../../runtime/adapters/dynamodb/celery-meta.js";
import { Wire } from "../../runtime/app/wire.js";
import { ConfigurationError, MessageFormatError, processMessages } from "../../runtime/index.js";
import { decodeCeleryPayload, kombuPayload } from "../../runtime/message/celery-wire-read.js";
import { encodeCeleryMessage } from "../../runtime/message/celery-wire-write.js";
import { encodeRequest } from "../../runtime/message/envelope.js";
import { decodeIncoming } from "../../runtime/worker/decode-incoming.js";
import { memoryApp } from "../support/memory-app.js";
import { taskRequest } from "../support/task-request.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

/** What Celery 5.2 + kombu 5.2 put on SQS for `add.s(2, 2) | mul.s(8)` sent with a countdown. */
function celeryMessage(
  overrides: { contentType?: string; body?: unknown; headers?: Record<string, unknown> } = {},
) {
  const body = overrides.body ?? [
    [2, 2],
    { debug: true },
    {
      callbacks: null,
      errbacks: [
        {
          task: "proj.tasks.log",
          args: [],
          kwargs: {},
          options: {},
          subtask_type: null,
          immutable: false,
          chord_size: null,
        },
      ],
      chain: [
        {
          task: "proj.tasks.mul",
          args: [10],
          kwargs: {},
          options: { task_id: "t-3", reply_to: "r" },
          subtask_type: null,
          immutable: false,
          chord_size: null,
        },
        {
          task: "proj.tasks.mul",
          args: [8],
          kwargs: {},
          options: { task_id: "t-2", queue: "proj-lopri" },
          subtask_type: null,
          immutable: false,
          chord_size: null,
        },
      ],
      chord: null,
    },
  ];
  return {
    body: b64(JSON.stringify(body)),
    "content-encoding": "utf-8",
    "content-type": overrides.contentType ?? "application/json",
    headers: {
      lang: "py",
      task: "proj.tasks.add",
      id: "t-1",
      shadow: null,
      eta: "2026-12-01T10:00:02.123456+00:00",
      expires: "2026-12-01T11:00:00",
      group: "g-1",
      group_index: 3,
      retries: 1,
      timelimit: [null, null],
      root_id: "r-1",
      parent_id: "p-1",
      argsrepr: "(2, 2)",
      kwargsrepr: "{'debug': True}",
      origin: "gen1@vm",
      ignore_result: false,
      ...overrides.headers,
    },
    properties: {
      correlation_id: "t-1",
      reply_to: "5a1c",
      delivery_mode: 2,
      delivery_info: { exchange: "", routing_key: "proj-celery" },
      priority: 0,
      body_encoding: "base64",
      delivery_tag: "d-1",
    },
  };
}

const routing = {
  routingKeyOf: (name: string) => ({ "proj-celery": "celery", "proj-lopri": "lopri" })[name],
};

describe("Function: decodeCeleryPayload", () => {
  it("reads kombu's base64 SQS form into a request", () => {
    const payload = kombuPayload(b64(JSON.stringify(celeryMessage())));
    expect(payload).toBeDefined();
    const req = decodeCeleryPayload(payload!, routing);
    expect(req).toMatchObject({
      id: "t-1",
      task: "proj.tasks.add",
      args: [2, 2],
      kwargs: { debug: true },
      queue: "celery",
      rootId: "r-1",
      parentId: "p-1",
      groupId: "g-1",
      groupIndex: 3,
      retries: 1,
      eta: "2026-12-01T10:00:02.123Z",
      expires: "2026-12-01T11:00:00.000Z",
      ignoreResult: false,
      claim: false,
      callbacks: [],
      chord: null,
    });
    expect(req.errbacks.map((s) => s.task)).toEqual(["proj.tasks.log"]);
    // Celery's chain is reversed on the wire; the next step comes first here, and its
    // SQS queue name becomes Celeriac's routing key.
    expect(req.chain.map((s) => s.options.task_id)).toEqual(["t-2", "t-3"]);
    expect(req.chain[0]!.options.queue).toBe("lopri");
  });

  it("reads the plain-JSON variant (sqs_base64_encoding off), and defaults what Celery may omit", () => {
    const message = celeryMessage({
      headers: { root_id: null, eta: null, expires: null, group: null },
    });
    const req = decodeCeleryPayload(kombuPayload(JSON.stringify(message))!, { queue: "lopri" });
    expect(req).toMatchObject({
      rootId: "t-1",
      eta: null,
      expires: null,
      groupId: null,
      queue: "lopri",
    });
  });

  it("refuses pickle, and any content type but JSON, naming it", () => {
    const payload = kombuPayload(
      b64(JSON.stringify(celeryMessage({ contentType: "application/x-python-serialize" }))),
    )!;
    expect(() => decodeCeleryPayload(payload)).toThrow(MessageFormatError);
    expect(() => decodeCeleryPayload(payload)).toThrow(
      /Celery message t-1 \(proj\.tasks\.add\) has content type "application\/x-python-serialize"; Celeriac reads only 'application\/json'/,
    );
    const yaml = kombuPayload(
      JSON.stringify(celeryMessage({ contentType: "application/x-yaml" })),
    )!;
    expect(() => decodeCeleryPayload(yaml)).toThrow(/application\/x-yaml/);
  });

  it("refuses task protocol 1 and a body that is not [args, kwargs, embed]", () => {
    const v1 = celeryMessage({
      body: { task: "proj.tasks.add", id: "t-1", args: [2, 2] },
      headers: { task: undefined },
    });
    expect(() => decodeCeleryPayload(kombuPayload(JSON.stringify(v1))!)).toThrow(/protocol 1/);
    const short = celeryMessage({ body: [[2, 2], {}] });
    expect(() => decodeCeleryPayload(kombuPayload(JSON.stringify(short))!)).toThrow(
      /\[args, kwargs, embed\]/,
    );
  });

  it("leaves Celeriac envelopes and other text to the envelope reader", () => {
    expect(kombuPayload(encodeRequest(taskRequest({ task: "a" })))).toBeUndefined();
    expect(kombuPayload("plain text")).toBeUndefined();
    expect(kombuPayload(b64("[1, 2]"))).toBeUndefined();
  });
});

describe("Function: encodeCeleryMessage", () => {
  it("writes what a Celery 5 worker reads, and reads back the same request", () => {
    const req = taskRequest({
      id: "t-9",
      task: "pyproj.tasks.add",
      args: [2, 2],
      kwargs: { n: 1 },
      queue: "py",
      eta: "2026-12-01T10:00:02.000Z",
      claim: true,
      redelivered: true,
      chain: [
        {
          task: "pyproj.tasks.mul",
          args: [8],
          kwargs: {},
          options: { task_id: "t-10", queue: "py" },
          subtask_type: null,
          immutable: false,
        },
        {
          task: "pyproj.tasks.mul",
          args: [10],
          kwargs: {},
          options: { task_id: "t-11" },
          subtask_type: null,
          immutable: false,
        },
      ],
    });
    const context = { queueName: (key: string) => `proj-${key}`, origin: "1@host" };
    const sqsBody = encodeCeleryMessage(req, context);
    const outer = JSON.parse(unb64(sqsBody)) as ReturnType<typeof celeryMessage>;
    expect(outer["content-type"]).toBe("application/json");
    expect(outer.properties).toMatchObject({
      correlation_id: "t-9",
      body_encoding: "base64",
      delivery_info: { exchange: "", routing_key: "proj-py" },
    });
    expect(outer.headers).toMatchObject({
      task: "pyproj.tasks.add",
      id: "t-9",
      root_id: "t-9",
      retries: 0,
      timelimit: [null, null],
      origin: "1@host",
    });
    const [args, kwargs, embed] = JSON.parse(unb64(outer.body)) as [
      unknown,
      unknown,
      { chain: { options: { task_id: string; queue?: string } }[] },
    ];
    expect([args, kwargs]).toEqual([[2, 2], { n: 1 }]);
    expect(embed.chain.map((s) => s.options.task_id)).toEqual(["t-11", "t-10"]);
    expect(embed.chain[1]!.options.queue).toBe("proj-py");
    const back = decodeCeleryPayload(kombuPayload(sqsBody)!, {
      routingKeyOf: (n) => n.replace(/^proj-/, ""),
    });
    expect(back).toEqual(req);
  });
});

describe("Class: Wire", () => {
  it("writes each queue in its protocol", () => {
    const wire = new Wire({ queueProtocols: { py: "celery" } }, { queueName: (k) => `proj-${k}` });
    expect(wire.protocolOf("py")).toBe("celery");
    expect(wire.protocolOf("celery")).toBe("celeriac");
    expect(JSON.parse(wire.encode(taskRequest({ task: "a" }))).celeriac).toBe(1);
    expect(kombuPayload(wire.encode(taskRequest({ task: "a", queue: "py" })))).toBeDefined();
    expect(new Wire({ protocol: "celery" }, {}).protocolOf("any")).toBe("celery");
  });

  it("refuses an unknown protocol", () => {
    expect(() => new Wire({ protocol: "pickle" as never }, {})).toThrow(ConfigurationError);
    expect(() => new Wire({ queueProtocols: { py: "amqp" as never } }, {})).toThrow(
      /queueProtocols\.py is "amqp"/,
    );
  });
});

describe("Celery's result meta", () => {
  it("turns Python's exception args into one message, and back into a list", () => {
    const py = {
      status: "FAILURE",
      result: { exc_type: "KeyError", exc_message: ["order"], exc_module: "builtins" },
      traceback: "Traceback ...",
      children: [[["c-1", null], null]],
      date_done: "2026-12-01T10:00:00.123456",
      task_id: "t-1",
    };
    const meta = fromCeleryMeta(py, "t-1")!;
    expect(meta).toMatchObject({
      status: "FAILURE",
      result: { exc_type: "KeyError", exc_message: "order", exc_module: "builtins" },
      children: [{ id: "c-1" }],
      dateDone: "2026-12-01T10:00:00.123Z",
    });
    expect(toCeleryMeta(meta).result).toEqual({
      exc_type: "KeyError",
      exc_message: ["order"],
      exc_module: "builtins",
    });
    expect(fromCeleryMeta({ status: "PENDING", result: null }, "t-2")).toBeUndefined();
  });
});

const env = await memoryApp();
let ran = 0;

describe("Function: decodeIncoming in a worker", () => {
  env.app.task("proj.tasks.add", (x: number, y: number) => {
    ran++;
    return x + y;
  });
  beforeAll(() => env.start());
  afterAll(() => env.close());

  it("reads both wire forms", () => {
    const celeriac = taskRequest({ task: "proj.tasks.add" });
    expect(decodeIncoming(env.app, encodeRequest(celeriac), "celery")).toEqual(celeriac);
    expect(decodeIncoming(env.app, b64(JSON.stringify(celeryMessage())), undefined).queue).toBe(
      "celery",
    );
  });

  it("runs a Celery message and stores its result; leaves a pickled one unrun, not ok", async () => {
    const message = celeryMessage({
      headers: { eta: null, expires: null, id: "celery-ok", group: null },
    });
    const body = [[2, 3], {}, { callbacks: null, errbacks: null, chain: null, chord: null }];
    const ok = { ...message, body: b64(JSON.stringify(body)) };
    const pickled = celeryMessage({
      contentType: "application/x-python-serialize",
      headers: { id: "celery-pickle" },
    });
    const results = await processMessages(env.app, [
      { messageId: "m-1", body: b64(JSON.stringify(ok)), receiveCount: 1, queue: "celery" },
      { messageId: "m-2", body: b64(JSON.stringify(pickled)), receiveCount: 1, queue: "celery" },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect((results[1]!.error as Error).message).toMatch(/application\/x-python-serialize/);
    expect(await env.app.asyncResult("celery-ok").get({ timeout: 5 })).toBe(5);
    expect(await env.app.asyncResult("celery-pickle").state()).toBe("PENDING");
    expect(ran).toBe(1);
  });
});
