import { Testing } from "cdktf";
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import path from "path";

Testing.setupJest();

// cdktf's Testing.app makes a `cdktf.outdir.*` directory in the temp folder for every app and
// never removes it: give each app one inside this test file's folder, removed when it is done.
const appsTmp = mkdtempSync(path.join(tmpdir(), "redis-net-apps-"));
const app = Testing.app.bind(Testing);
Testing.app = (options = {}) => app({ outdir: mkdtempSync(path.join(appsTmp, "app-")), ...options });
afterAll(() => rmSync(appsTmp, { recursive: true, force: true }));

// An App without an outdir writes cdktf.out/stacks where the tests run, the project, and the next
// `npm run synth` refuses that directory: a test file that leaves one there fails.
const projectOutput = path.join(__dirname, "..", "..", "cdktf.out");
const outputBefore = existsSync(projectOutput);
afterAll(() => {
  if (!outputBefore && existsSync(projectOutput)) throw new Error(`${projectOutput}: made by a test; give its App an outdir (tempDir)`);
});

// cdktf records where each token was made, as a full stack trace read at once, and jest maps every
// frame through source maps: that was most of a test's time. Only cdktf's own error messages read
// those traces, so in tests they are left empty; errors keep jest's mapped traces.
const mapped = Error.prepareStackTrace;
if (mapped) Error.prepareStackTrace = (error, frames) => (error instanceof Error ? mapped(error, frames) : "");
