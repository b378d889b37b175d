import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "sends fail whole",
  sqs: { failWhole: 0.3 },
  expectKinds: ["send-failed"],
});
