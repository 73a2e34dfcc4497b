// The app loads its configuration schema on first use (config/load.ts), which under StrykerJS would
// make the schema's code belong to whichever test of a file validates first, and only that test
// would run for a mutant of it. Loaded here, before any test, it is the whole file's (environment.js).
require("../../config/validate");
