import type { SignatureJSON } from "../canvas/signature-json.js";
import { MessageFormatError } from "../errors/usage-errors.js";
import { isPlainObject, type JsonObject, type JsonValue } from "../types/json.js";
import type { TaskRequest } from "./task-request.js";

/** The envelope version this code writes and reads. */
export const ENVELOPE_VERSION = 1;

/**
 * The wire form: Celery protocol v2's headers and its `[args, kwargs, embed]` body, as
 * plain JSON (no base64), with a version so that readers can refuse what they don't know.
 * Celery stores the chain reversed (the worker pops the last); so does this envelope.
 */
export interface Envelope {
  celeriac: number;
  headers: {
    lang: "ts";
    task: string;
    id: string;
    root_id: string;
    parent_id: string | null;
    group: string | null;
    group_index: number | null;
    retries: number;
    eta: string | null;
    expires: string | null;
    ignore_result: boolean;
    claim: boolean;
    queue: string;
    redelivered?: boolean;
  };
  body: [
    JsonValue[],
    JsonObject,
    {
      callbacks: SignatureJSON[] | null;
      errbacks: SignatureJSON[] | null;
      chain: SignatureJSON[] | null;
      chord: SignatureJSON | null;
    },
  ];
}

/** Encodes a request as the JSON message body. */
export function encodeRequest(req: TaskRequest): string {
  const envelope: Envelope = {
    celeriac: ENVELOPE_VERSION,
    headers: {
      lang: "ts",
      task: req.task,
      id: req.id,
      root_id: req.rootId,
      parent_id: req.parentId,
      group: req.groupId,
      group_index: req.groupIndex,
      retries: req.retries,
      eta: req.eta,
      expires: req.expires,
      ignore_result: req.ignoreResult,
      claim: req.claim,
      queue: req.queue,
      ...(req.redelivered === true ? { redelivered: true } : {}),
    },
    body: [
      req.args,
      req.kwargs,
      {
        callbacks: req.callbacks.length ? req.callbacks : null,
        errbacks: req.errbacks.length ? req.errbacks : null,
        chain: req.chain.length ? [...req.chain].reverse() : null,
        chord: req.chord,
      },
    ],
  };
  return JSON.stringify(envelope);
}

/**
 * Reads a message body. Anything that is not a version-1 Celeriac envelope is refused
 * with a `MessageFormatError` that says what is wrong (the caller leaves such a message
 * to the dead-letter queue; it is never dropped silently).
 */
export function decodeRequest(body: string): TaskRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw new MessageFormatError(
      `Message body is not JSON (${(e as Error).message}): ${preview(body)}`,
    );
  }
  return requestOfEnvelope(raw, body);
}

/**
 * The request of a message body already parsed (`raw`, the JSON of `body`), with the
 * checks and errors of {@link decodeRequest}: for a reader that parsed the body to
 * tell which wire form it is in, so that it is not parsed twice.
 */
export function requestOfEnvelope(raw: unknown, body: string): TaskRequest {
  if (!isPlainObject(raw))
    throw new MessageFormatError(`Message body is not a JSON object: ${preview(body)}`);
  if (raw.celeriac !== ENVELOPE_VERSION) {
    throw new MessageFormatError(
      `Message is not a Celeriac envelope version ${ENVELOPE_VERSION} (celeriac=${JSON.stringify(raw.celeriac)}): ${preview(body)}`,
    );
  }
  const h = raw.headers;
  if (!isPlainObject(h)) throw new MessageFormatError("Message has no headers object.");
  const b = raw.body;
  if (!Array.isArray(b) || b.length !== 3)
    throw new MessageFormatError("Message body must be [args, kwargs, embed].");
  const [args, kwargs, embed] = b as unknown[];
  const id = str(h, "id");
  const where = `Message ${id}`;
  if (!Array.isArray(args)) throw new MessageFormatError(`${where}: args must be an array.`);
  if (!isPlainObject(kwargs)) throw new MessageFormatError(`${where}: kwargs must be an object.`);
  if (!isPlainObject(embed)) throw new MessageFormatError(`${where}: embed must be an object.`);
  const chain = sigList(embed.chain, `${where}: chain`);
  return {
    id,
    task: str(h, "task"),
    args: args as JsonValue[],
    kwargs: kwargs as JsonObject,
    queue: str(h, "queue"),
    rootId: typeof h.root_id === "string" ? h.root_id : id,
    parentId: optStr(h, "parent_id"),
    groupId: optStr(h, "group"),
    groupIndex: typeof h.group_index === "number" ? h.group_index : null,
    retries: typeof h.retries === "number" ? h.retries : 0,
    eta: optStr(h, "eta"),
    expires: optStr(h, "expires"),
    ignoreResult: h.ignore_result === true,
    claim: h.claim === true,
    ...(h.redelivered === true ? { redelivered: true } : {}),
    callbacks: sigList(embed.callbacks, `${where}: callbacks`),
    errbacks: sigList(embed.errbacks, `${where}: errbacks`),
    chain: chain.reverse(),
    chord: embed.chord == null ? null : sig(embed.chord, `${where}: chord`),
  };
}

function str(h: Record<string, unknown>, key: string): string {
  const v = h[key];
  if (typeof v !== "string" || v.length === 0) {
    throw new MessageFormatError(
      `Message header '${key}' must be a non-empty string, got ${JSON.stringify(v)}.`,
    );
  }
  return v;
}

function optStr(h: Record<string, unknown>, key: string): string | null {
  const v = h[key];
  if (v == null) return null;
  if (typeof v !== "string")
    throw new MessageFormatError(`Message header '${key}' must be a string or null.`);
  return v;
}

function sigList(v: unknown, where: string): SignatureJSON[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw new MessageFormatError(`${where} must be a list of signatures.`);
  return v.map((s, i) => sig(s, `${where}[${i}]`));
}

function sig(v: unknown, where: string): SignatureJSON {
  if (!isPlainObject(v) || typeof v.task !== "string") {
    throw new MessageFormatError(`${where} is not a signature (an object with a 'task' name).`);
  }
  return v as unknown as SignatureJSON;
}

function preview(body: string): string {
  return body.length > 120 ? `${body.slice(0, 120)}…` : body;
}
