import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * moto_server answers each request on a thread of its own, and its DynamoDB `UpdateItem`
 * and conditional `PutItem` read and write the item without a lock: two concurrent `ADD`s
 * to one item lose one about once in 25 trials, and two conditional writes can both win.
 * DynamoDB never does that, and Celeriac's chord counter and first-write-wins rule rely on
 * it. This `sitecustomize` module, put on the child's `PYTHONPATH`, makes moto's DynamoDB
 * atomic as AWS's is: it serialises DynamoDB requests (by their `X-Amz-Target` header)
 * with one lock. SQS and every other service keep their threads, so long polls still wait
 * side by side. A `sitecustomize` that the interpreter had already is run after it.
 */
const SITECUSTOMIZE = `# Written by Celeriac (runtime/local/moto-atomic-dynamodb.ts): one lock around moto's
# DynamoDB requests, so that its conditional writes are atomic, as they are in AWS.
import os as _os
import sys as _sys
import threading as _threading

try:
    from moto.moto_server import werkzeug_app as _werkzeug_app
except Exception:  # not the interpreter that runs moto: nothing to do
    _werkzeug_app = None

if _werkzeug_app is not None:
    _lock = _threading.Lock()
    _dispatch = _werkzeug_app.DomainDispatcherApplication.__call__

    def _serialised(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            with _lock:
                return _dispatch(self, environ, start_response)
        return _dispatch(self, environ, start_response)

    _werkzeug_app.DomainDispatcherApplication.__call__ = _serialised

_here = _os.path.dirname(_os.path.abspath(__file__))
for _entry in _sys.path:
    _candidate = _os.path.join(_entry or ".", "sitecustomize.py")
    if _os.path.abspath(_entry or ".") != _here and _os.path.isfile(_candidate):
        with open(_candidate) as _file:
            exec(compile(_file.read(), _candidate, "exec"), {"__name__": "sitecustomize", "__file__": _candidate})
        break
`;

/** A folder holding the module, and the environment that puts it on a child's path. */
export interface AtomicDynamoDBPatch {
  /** `env` with this folder first on `PYTHONPATH`. */
  env: NodeJS.ProcessEnv;
  /** Deletes the folder. */
  remove(): void;
}

/** Writes the `sitecustomize` module to a fresh folder and returns the child's environment. */
export function atomicDynamoDBPatch(env: NodeJS.ProcessEnv = process.env): AtomicDynamoDBPatch {
  const dir = mkdtempSync(join(tmpdir(), "celeriac-moto-"));
  writeFileSync(join(dir, "sitecustomize.py"), SITECUSTOMIZE);
  const pythonPath = env.PYTHONPATH ? `${dir}${delimiter}${env.PYTHONPATH}` : dir;
  return {
    env: { ...env, PYTHONPATH: pythonPath },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
