import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "batch sends in part",
  sqs: { failPart: 0.9 },
  expectKinds: ["send-partial"],
});
