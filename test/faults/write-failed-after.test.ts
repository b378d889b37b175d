import { describeFaultSuite } from "../support/faults/suite.js";

describeFaultSuite({
  suite: "writes fail after landing",
  dynamodb: { writeAfter: 0.2 },
  expectKinds: ["write-failed-after"],
});
