import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "duplicate sends",
  sqs: { duplicate: 0.5 },
  expectKinds: ["duplicate-send"],
});
