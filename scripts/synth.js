// The synth path (`npm run synth`, and cdktf.json's app for `cdktf synth`): rebuild when stale,
// then run the compiled app. v8-compile-cache keeps compiled cdktf/provider code between runs.
require("v8-compile-cache");
require("./build").build();
require("../dist/main.js").main();
