/**
 * `celeriac/local`: the emulators for a project's own tests and local loop. fauxqs and
 * dynalite run in the calling process (install them as dev dependencies:
 * `npm install -D fauxqs@1.9.2 dynalite@4.0.0`); moto_server runs as a child process
 * (`pip install "moto[server]"`).
 *
 * @example
 * import { startLocalAws } from "celeriac/local";
 *
 * const aws = await startLocalAws();
 * Object.assign(process.env, aws.env);
 */
export { type LocalAws, type LocalAwsOptions, startLocalAws } from "./local-aws.js";
export { findOnPath, type MotoServer, startMotoServer } from "./moto-server.js";
