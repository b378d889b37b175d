import { registerBackend, registerBroker } from "../app/transports.js";
import { MemoryBackend } from "./memory/memory-backend.js";
import { MemoryBroker } from "./memory/memory-broker.js";

/** `memory://` for broker and backend: the embedded runtime. */
registerBroker("memory", () => new MemoryBroker());
registerBackend("memory", (_url, options) =>
  options.resultExpires === undefined
    ? new MemoryBackend()
    : new MemoryBackend({ resultExpires: options.resultExpires }),
);
