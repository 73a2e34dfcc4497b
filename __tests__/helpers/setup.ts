import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import path from "path";

// cdktf's Testing.app makes a `cdktf.outdir.*` directory in the temp folder for every app and
// never removes it: each app gets a directory of its own in this test file's folder, removed when
// the file is done. The patch is made as cdktf loads, so a test file that never loads cdktf does
// not pay for loading it.
let appsTmp: string | undefined;
let apps = 0;
let loading = false;
jest.doMock(require.resolve("cdktf"), () => {
  // cdktf's own modules require its index as it loads: they get it as it stands.
  if (loading) return jest.requireActual("cdktf");
  loading = true;
  try {
    const cdktf = jest.requireActual<typeof import("cdktf")>("cdktf");
    const app = cdktf.Testing.app.bind(cdktf.Testing);
    cdktf.Testing.app = (options = {}) => {
      appsTmp ??= mkdtempSync(path.join(tmpdir(), "redis-net-apps-"));
      // A name of its own, which the App makes.
      return app({ outdir: path.join(appsTmp, `app-${++apps}`), ...options });
    };
    return cdktf;
  } finally {
    loading = false;
  }
});
afterAll(() => appsTmp && rmSync(appsTmp, { recursive: true, force: true }));

// An App without an outdir writes cdktf.out/stacks where the tests run, the project, and the next
// `npm run synth` refuses that directory: a test file that leaves one there fails.
const projectOutput = path.join(__dirname, "..", "..", "cdktf.out");
const outputBefore = existsSync(projectOutput);
afterAll(() => {
  if (!outputBefore && existsSync(projectOutput)) throw new Error(`${projectOutput}: made by a test; give its App an outdir (tempDir)`);
});

// Stack traces captured into plain objects (cdktf's annotations, constructs' metadata) are read
// only by cdktf's own messages, and jest would map every frame through source maps: they are left
// empty. Errors keep jest's mapped traces. (Token creation stacks: before-cdktf.ts.)
const mapped = Error.prepareStackTrace;
if (mapped) Error.prepareStackTrace = (error, frames) => (error instanceof Error ? mapped(error, frames) : "");
