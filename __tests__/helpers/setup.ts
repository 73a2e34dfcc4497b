import { Testing } from "cdktf";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import path from "path";

Testing.setupJest();

// cdktf's Testing.app makes a `cdktf.outdir.*` directory in the temp folder for every app and
// never removes it: give each app one inside this test file's folder, removed when it is done.
const appsTmp = mkdtempSync(path.join(tmpdir(), "redis-net-apps-"));
const app = Testing.app.bind(Testing);
Testing.app = (options = {}) => app({ outdir: mkdtempSync(path.join(appsTmp, "app-")), ...options });
afterAll(() => rmSync(appsTmp, { recursive: true, force: true }));

// cdktf records where each token was made (a full stack trace, read at once) and jest maps every
// frame through source maps: most of a test's time. Only its error messages read those traces,
// so they get V8's unmapped frames, the ten nearest (the rest is jest's); errors thrown in tests
// keep jest's mapped ones.
const mapped = Error.prepareStackTrace;
if (mapped) Error.prepareStackTrace = (error, frames) => (error instanceof Error ? mapped(error, frames) : frames.slice(0, 10).map((frame) => `\n    at ${frame}`).join(""));
