// `node --import ./forbid-sdk.mjs`: registers forbid-sdk-hooks.mjs for the whole process.
import { register } from "node:module";

register("./forbid-sdk-hooks.mjs", import.meta.url);
