// Runs before each test file loads cdktf, which makes tokens as it loads.
import path from "path";
import { onFirstUse } from "../../scripts/load-caches";

// cdktf records a full stack trace for every token it makes, read only by its own errors about a
// token it cannot resolve: each capture walks every frame of jest's deep stacks, about a tenth of
// the fast tier's time. As in the synth (scripts/run.js), the capture is replaced with an empty one.
require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];

// cdktf loads, at start-up, archiver (about 180 modules with its dependencies) for the zip assets it
// builds in a child process, and semver (45) for binary version checks this app never declares.
// jest loads every module again for each test file: cdktf gets stand-ins that load the real module
// on first use, as the synth does for archiver (semver, from the synth's compile cache, costs it
// nothing measurable).
const cdktfLib = path.dirname(require.resolve("cdktf/lib/private/fs"));
for (const name of ["archiver", "semver"]) {
  const file = require.resolve(name, { paths: [cdktfLib] });
  jest.doMock(file, () => onFirstUse(() => jest.requireActual(file)));
}
