// Runs before each test file loads cdktf, which makes tokens as it loads.

// cdktf records a full stack trace for every token it makes, read only by its own errors about a
// token it cannot resolve: each capture walks every frame of jest's deep stacks, about a tenth of
// the fast tier's time. As in the synth (scripts/run.js), the capture is replaced with an empty one.
require("cdktf/lib/tokens/private/stack-trace").captureStackTrace = () => [];

// Loading cdktf loads archiver, a third of its loading time, for the zip assets it builds in a
// child process: as in the synth, cdktf gets a stand-in that loads the real module on first use.
jest.mock("archiver", () => {
  let real: any;
  const load = () => (real ??= jest.requireActual("archiver"));
  return new Proxy(function archiver() {}, { apply: (_, self, args) => Reflect.apply(load(), self, args), get: (_, key) => Reflect.get(load(), key) });
});
