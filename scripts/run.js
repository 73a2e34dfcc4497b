// @ts-check
// The one way into the compiled code, and the only file that knows where it is: rebuilds it when a
// source changed (build.js), then runs the app (`node scripts/run.js`: npm run synth, cdktf.json's
// app) or one of the tools in scripts/ (`node scripts/run.js verify --fast`: npm run verify).
const [tool, ...args] = process.argv.slice(2);
// Compiled cdktf/provider code kept between runs of the app. Only the app's: the cache is one file
// per main module (this one), and the tools' modules would swell what every synth loads.
// @ts-expect-error: untyped, and loaded only for that effect
if (tool === undefined) require("v8-compile-cache");
require("./build").build();
const fs = require("fs");
const path = require("path");

const dist = path.join(__dirname, "..", "dist");
if (tool === undefined) {
  /** @type {typeof import("../main")} */
  const app = require(path.join(dist, "main.js"));
  app.main();
} else {
  const file = path.join(dist, "scripts", `${tool}.js`);
  if (!fs.existsSync(file)) {
    console.error(`run: no tool scripts/${tool}.ts`);
    process.exit(2);
  }
  /** @type {{ main(argv: string[]): number | Promise<number> }} */
  const { main } = require(file);
  // The exit code is the tool's answer; nothing it leaves running (a wasm runtime, a socket) may hold it up.
  Promise.resolve(main(args)).then((code) => process.exit(code));
}
