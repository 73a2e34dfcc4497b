// `npm run stacks`: the stacks CI plans and applies, as a JSON list read from the configuration
// (REDIS_NET_CONFIG and REDIS_NET_ENVIRONMENTS as for synth); the workflows' matrices come from it.
require("./build").build();
require("../dist/main.js").printStacks();
