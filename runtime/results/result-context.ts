import type { ResultBackend } from "../ports/result-backend.js";

/** An error class that stored failures can be rebuilt as. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** What a result handle needs from its app: the backend and the error classes it knows. */
export interface ResultContext {
  readonly backend: ResultBackend;
  readonly errorClasses: ReadonlyMap<string, ErrorClass>;
}
