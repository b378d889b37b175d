import type { SignatureJSON } from "../canvas/signature-json.js";
import { MessageFormatError } from "../errors/usage-errors.js";
import { isPlainObject, type JsonObject, type JsonValue, parseJson } from "../types/json.js";
import { renameQueues } from "./celery-queues.js";
import type { TaskRequest } from "./task-request.js";

/** The only content type read from Celery: its `json` serializer's. */
export const CELERY_JSON = "application/json";

/** What the reader needs to know about the queue a Celery message came from. */
export interface CeleryReadContext {
  /** The routing key of the queue the message was received from, when known. */
  queue?: string;
  /** The routing key of an SQS queue name (a message's `routing_key`, a signature's `queue`). */
  routingKeyOf?(queueName: string): string | undefined;
  /** The routing key used when neither of the above says. @default "celery" */
  defaultQueue?: string;
}

/**
 * Kombu's SQS message form as a JSON object: `body`, `content-type`,
 * `content-encoding`, `headers` and `properties`. The SQS body is that object's JSON,
 * base64-encoded by default (`sqs_base64_encoding`), or the JSON itself.
 */
export type KombuPayload = Record<string, unknown> & {
  headers: Record<string, unknown>;
  body: string;
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Kombu's payload when `sqsBody` is a message written by kombu (base64 or plain JSON),
 * else `undefined` (a Celeriac envelope, or something unreadable: the caller's error).
 */
export function kombuPayload(sqsBody: string): KombuPayload | undefined {
  const parsed = parseJson(sqsBody) ?? parseJson(strictBase64(sqsBody));
  if (!isPlainObject(parsed) || "celeriac" in parsed) return undefined;
  if (!isPlainObject(parsed.headers) || typeof parsed.body !== "string") return undefined;
  if (!("content-type" in parsed) && !isPlainObject(parsed.properties)) return undefined;
  return parsed as KombuPayload;
}

/**
 * Turns a Celery task message (protocol 2, `application/json`) into a request. Any other
 * content type (pickle, YAML, msgpack), a binary encoding or protocol 1 is refused with a
 * `MessageFormatError` naming it: such a message is never run, and reaches the
 * dead-letter queue intact after `maxReceiveCount`.
 */
export function decodeCeleryPayload(
  payload: KombuPayload,
  context: CeleryReadContext = {},
): TaskRequest {
  const h = payload.headers;
  const idHint = typeof h.id === "string" ? ` ${h.id}` : "";
  const where = `Celery message${idHint}${typeof h.task === "string" ? ` (${h.task})` : ""}`;
  const contentType = payload["content-type"];
  if (contentType !== CELERY_JSON) {
    throw new MessageFormatError(
      `${where} has content type ${JSON.stringify(contentType ?? null)}; Celeriac reads only ` +
        `'${CELERY_JSON}' (set task_serializer = "json" in the Celery producer). It was not run.`,
    );
  }
  const encoding = payload["content-encoding"];
  if (encoding != null && !/^utf-?8$/i.test(String(encoding))) {
    throw new MessageFormatError(
      `${where} has content encoding ${JSON.stringify(encoding)}; Celeriac reads only utf-8.`,
    );
  }
  const properties = isPlainObject(payload.properties) ? payload.properties : {};
  const text =
    properties.body_encoding === "base64"
      ? Buffer.from(payload.body, "base64").toString("utf8")
      : payload.body;
  const body = parseJson(text);
  if (typeof h.task !== "string" || (isPlainObject(body) && "task" in body)) {
    throw new MessageFormatError(
      `${where} is in Celery's task protocol 1; Celeriac reads protocol 2 (Celery 4+'s default, task_protocol = 2).`,
    );
  }
  if (!Array.isArray(body) || body.length !== 3)
    throw new MessageFormatError(`${where}: body must be [args, kwargs, embed].`);
  const [args, kwargs, embed] = body as unknown[];
  if (!Array.isArray(args)) throw new MessageFormatError(`${where}: args must be a list.`);
  if (!isPlainObject(kwargs)) throw new MessageFormatError(`${where}: kwargs must be a dict.`);
  const e = isPlainObject(embed) ? embed : {};
  const id = text1(h, "id", where);
  const toKey = (name: string) => context.routingKeyOf?.(name);
  const sigs = (v: unknown, what: string) =>
    sigList(v, `${where}: ${what}`).map((s) => renameQueues(s, toKey));
  const deliveryInfo = isPlainObject(properties.delivery_info) ? properties.delivery_info : {};
  const routingKey =
    typeof deliveryInfo.routing_key === "string" ? toKey(deliveryInfo.routing_key) : undefined;
  return {
    id,
    task: text1(h, "task", where),
    args: args as JsonValue[],
    kwargs: kwargs as JsonObject,
    queue: context.queue ?? routingKey ?? context.defaultQueue ?? "celery",
    rootId: typeof h.root_id === "string" && h.root_id !== "" ? h.root_id : id,
    parentId: optText(h, "parent_id", where),
    groupId: optText(h, "group", where),
    groupIndex: typeof h.group_index === "number" ? h.group_index : null,
    retries: typeof h.retries === "number" ? h.retries : 0,
    eta: isoTime(h.eta, "eta", where),
    expires: isoTime(h.expires, "expires", where),
    ignoreResult: h.ignore_result === true,
    claim: h.celeriac_claim === true,
    ...(h.celeriac_redelivered === true ? { redelivered: true } : {}),
    callbacks: sigs(e.callbacks, "callbacks"),
    errbacks: sigs(e.errbacks, "errbacks"),
    // Celery keeps the chain reversed (its worker pops the last step); ours runs chain[0] next.
    chain: sigs(e.chain, "chain").reverse(),
    chord: e.chord == null ? null : sigs([e.chord], "chord")[0]!,
  };
}

/** The text `s` decodes to when it is base64 and nothing else (as kombu checks), else undefined. */
function strictBase64(s: string): string | undefined {
  const trimmed = s.trim();
  if (trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, "base64");
  return bytes.toString("base64") === trimmed ? bytes.toString("utf8") : undefined;
}

function text1(h: Record<string, unknown>, key: string, where: string): string {
  const v = h[key];
  if (typeof v !== "string" || v.length === 0)
    throw new MessageFormatError(`${where}: header '${key}' must be a non-empty string.`);
  return v;
}

function optText(h: Record<string, unknown>, key: string, where: string): string | null {
  const v = h[key];
  if (v == null || v === "") return null;
  if (typeof v !== "string")
    throw new MessageFormatError(`${where}: header '${key}' must be a string or null.`);
  return v;
}

/**
 * Celery writes times with `isoformat()`: microseconds, and an offset (`+00:00`) or none
 * (naive times are UTC under Celery's default `enable_utc`). Normalised to `toISOString()`.
 */
function isoTime(v: unknown, key: string, where: string): string | null {
  if (v == null || v === "") return null;
  if (typeof v !== "string")
    throw new MessageFormatError(`${where}: header '${key}' must be an ISO 8601 string.`);
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(v) ? v : `${v}Z`;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms))
    throw new MessageFormatError(`${where}: header '${key}' is not an ISO 8601 time: '${v}'.`);
  return new Date(ms).toISOString();
}

function sigList(v: unknown, where: string): SignatureJSON[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw new MessageFormatError(`${where} must be a list of signatures.`);
  return v.map((s, i) => {
    if (!isPlainObject(s) || typeof s.task !== "string")
      throw new MessageFormatError(`${where}[${i}] is not a signature (a dict with a 'task').`);
    return s as unknown as SignatureJSON;
  });
}
