import { MemoryBackend } from "../../runtime/adapters/memory/memory-backend.js";
import { MemoryBroker } from "../../runtime/adapters/memory/memory-broker.js";
import { describeBroker } from "./broker.suite.js";
import { describeResultBackend } from "./result-backend.suite.js";

describeResultBackend("memory", (options) => new MemoryBackend(options));

describeBroker("memory", (options) => ({ broker: new MemoryBroker(options) }));
