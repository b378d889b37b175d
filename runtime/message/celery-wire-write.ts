import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { SignatureJSON } from "../canvas/signature-json.js";
import type { JsonValue } from "../types/json.js";
import { renameQueues } from "./celery-queues.js";
import { CELERY_JSON } from "./celery-wire-read.js";
import type { TaskRequest } from "./task-request.js";

/** What the writer needs to know to address a Celery worker. */
export interface CeleryWriteContext {
  /** The SQS queue name of a routing key (`py` → `proj-py`): kombu's name for the queue. */
  queueName(routingKey: string): string;
  /** Celery's `origin` header. @default `<pid>@<hostname>` */
  origin?: string;
}

/**
 * Encodes a request as a Celery 5.x worker reads it from SQS: task protocol 2
 * (`headers` as `as_task_v2` writes them, body `[args, kwargs, embed]` in JSON), wrapped
 * in kombu's message object (`body` base64, `properties` with `delivery_info`), the
 * whole base64-encoded as kombu's SQS transport does by default. Embedded signatures keep
 * Celery's dict form; their `queue` options become SQS queue names.
 */
export function encodeCeleryMessage(req: TaskRequest, context: CeleryWriteContext): string {
  const toName = (key: string) => context.queueName(key);
  const sigs = (list: readonly SignatureJSON[]) =>
    list.length === 0 ? null : list.map((s) => renameQueues(s, toName));
  const body: JsonValue = [
    req.args,
    req.kwargs,
    {
      callbacks: sigs(req.callbacks) as JsonValue,
      errbacks: sigs(req.errbacks) as JsonValue,
      // Celery's worker pops the chain's last element: the next step goes last.
      chain: sigs([...req.chain].reverse()) as JsonValue,
      chord: req.chord ? (renameQueues(req.chord, toName) as unknown as JsonValue) : null,
    },
  ];
  const message = {
    body: Buffer.from(JSON.stringify(body), "utf8").toString("base64"),
    "content-encoding": "utf-8",
    "content-type": CELERY_JSON,
    headers: {
      lang: "ts",
      task: req.task,
      id: req.id,
      shadow: null,
      eta: req.eta,
      expires: req.expires,
      group: req.groupId,
      group_index: req.groupIndex,
      retries: req.retries,
      timelimit: [null, null],
      root_id: req.rootId,
      parent_id: req.parentId,
      argsrepr: JSON.stringify(req.args),
      kwargsrepr: JSON.stringify(req.kwargs),
      origin: context.origin ?? `${process.pid}@${hostname()}`,
      ignore_result: req.ignoreResult,
      // Celeriac's own fields, for Celeriac workers on a queue that speaks Celery's
      // protocol (a Celery worker keeps unknown headers in its request and ignores them).
      ...(req.claim ? { celeriac_claim: true } : {}),
      ...(req.redelivered === true ? { celeriac_redelivered: true } : {}),
    },
    properties: {
      correlation_id: req.id,
      reply_to: "",
      delivery_mode: 2,
      delivery_info: { exchange: "", routing_key: context.queueName(req.queue) },
      priority: 0,
      body_encoding: "base64",
      delivery_tag: randomUUID(),
    },
  };
  return Buffer.from(JSON.stringify(message), "utf8").toString("base64");
}
