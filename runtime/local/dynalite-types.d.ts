// dynalite 4.0.0 ships no type declarations and there is no @types/dynalite.
declare module "dynalite" {
  import type { Server } from "node:http";

  /** Options of `dynalite(options)`, from its `index.js`. */
  interface DynaliteOptions {
    /** LevelDB directory; omit for an in-memory store. */
    path?: string;
    /** Milliseconds a new table stays CREATING. @default 500 */
    createTableMs?: number;
    /** Milliseconds a deleted table stays DELETING. @default 500 */
    deleteTableMs?: number;
    /** Milliseconds an updated table stays UPDATING. @default 500 */
    updateTableMs?: number;
    /** Largest item, in KB. @default 400 */
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }

  /** Builds a DynamoDB-compatible HTTP server; call `listen` on it. */
  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}
