// @ts-check
// Copies each provider schema cdktf get wrote into <from>, keeping only the resource and data
// source types listed in providers/used-types.json (the provider block is kept whole).
// Plain JavaScript run by node: `npm run schema` runs it where no bindings exist yet to build.
//   usage: node scripts/filter-schema.js <from> <to>
const fs = require("fs");
const path = require("path");
const { parseArgs } = require("util");

/** @typedef {Record<string, unknown>} Schemas a provider's resource or data source schemas, by type */

const { positionals: [from, to] } = parseArgs({ allowPositionals: true });
if (!from || !to) throw new Error("usage: node scripts/filter-schema.js <from> <to>");
/** @type {Record<string, { resources: string[]; dataSources: string[] }>} */
const used = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "providers", "used-types.json"), "utf8"));

for (const file of fs.readdirSync(from).filter((f) => f.endsWith(".json"))) {
  const schema = JSON.parse(fs.readFileSync(path.join(from, file), "utf8"));
  for (const [source, provider] of Object.entries(schema.provider_schemas)) {
    const wanted = used[source];
    if (!wanted) throw new Error(`providers/used-types.json has no entry for ${source}`);
    provider.resource_schemas = pick(provider.resource_schemas, wanted.resources, source);
    provider.data_source_schemas = pick(provider.data_source_schemas, wanted.dataSources, source);
    delete provider.ephemeral_resource_schemas;
    delete provider.functions;
  }
  fs.writeFileSync(path.join(to, file), JSON.stringify(schema, null, 1) + "\n");
  console.log(`wrote ${path.join(to, file)}`);
}

/**
 * @param {Schemas | undefined} all
 * @param {string[]} names
 * @param {string} source
 * @returns {Schemas}
 */
function pick(all, names, source) {
  const missing = names.filter((n) => !(n in (all ?? {})));
  if (missing.length) throw new Error(`${source} does not define ${missing.join(", ")}`);
  return Object.fromEntries(names.map((n) => [n, all?.[n]]));
}
