import type { Transports } from "../app/transports.js";
import { MemoryBackend } from "./memory/memory-backend.js";
import { MemoryBroker } from "./memory/memory-broker.js";

/** `memory://` for broker and backend: the embedded runtime. */
export const memoryTransports: Transports = {
  brokers: { memory: () => new MemoryBroker() },
  backends: {
    memory: (_url, options) =>
      options.resultExpires === undefined
        ? new MemoryBackend()
        : new MemoryBackend({ resultExpires: options.resultExpires }),
  },
};
