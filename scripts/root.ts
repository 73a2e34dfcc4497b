import * as path from "path";

/** The project's directory, from a tool's source (as tests load it) or from its build in .build/<hash>/scripts/. */
const parent = path.dirname(__dirname);
export const ROOT = path.basename(path.dirname(parent)) === ".build" ? path.dirname(path.dirname(parent)) : parent;
