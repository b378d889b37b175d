import { describe } from "vitest";
import { describeBroker } from "../conformance/broker.suite.js";
import { motoAvailable, motoTarget } from "../support/emulators.js";
import { sqsBrokerFactory } from "../support/sqs-harness.js";

describe.skipIf(!motoAvailable("the broker conformance suite on moto"))("On moto_server", () => {
  describeBroker("SqsBroker on moto", sqsBrokerFactory(motoTarget()?.sqsEndpoint ?? ""));
});
