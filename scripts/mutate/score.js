#!/usr/bin/env node
// npm run mutate:score [-- <incremental file>]: the verdicts the incremental file holds, by folder,
// with each survivor and untested line. An interrupted run (Ctrl-C) writes that file but prints no
// score; this reads it, so runs stopped in turn add up to a full one.
"use strict";
const fs = require("fs");

const DETECTED = ["Killed", "Timeout"];
const UNDETECTED = ["Survived", "NoCoverage"];
const HEADER = ["folder", "killed", "survived", "no coverage", "compile error", "other", "score"];

const sum = (counts, statuses) => statuses.reduce((total, status) => total + (counts[status] ?? 0), 0);

function row(name, counts) {
  const detected = sum(counts, DETECTED);
  const scored = detected + sum(counts, UNDETECTED);
  const score = scored ? `${((100 * detected) / scored).toFixed(1)} %` : "-";
  return [name, detected, counts.Survived ?? 0, counts.NoCoverage ?? 0, counts.CompileError ?? 0, (counts.RuntimeError ?? 0) + (counts.Ignored ?? 0), score];
}

/** The score table (header, a row per folder, then "all") and each mutant no test detected. */
function summarize(report) {
  if (!report || typeof report.files !== "object") throw new Error("files is missing; expected a StrykerJS incremental report (mutation-testing-report-schema)");
  const byFolder = new Map();
  const total = {};
  const gaps = [];
  for (const [path, result] of Object.entries(report.files)) {
    const folder = path.includes("/") ? `${path.split("/")[0]}/` : path;
    const counts = byFolder.get(folder) ?? {};
    byFolder.set(folder, counts);
    const lines = result.source.split("\n");
    for (const mutant of result.mutants) {
      counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
      total[mutant.status] = (total[mutant.status] ?? 0) + 1;
      if (!UNDETECTED.includes(mutant.status)) continue;
      const line = mutant.location.start.line;
      gaps.push(`${mutant.status.padEnd(10)} ${path}:${line} ${mutant.mutatorName} -> ${JSON.stringify(mutant.replacement ?? "").slice(0, 60)}\n           ${lines[line - 1].trim().slice(0, 120)}`);
    }
  }
  const rows = [HEADER, ...[...byFolder].sort(([a], [b]) => a.localeCompare(b)).map(([name, counts]) => row(name, counts)), row("all", total)];
  return { rows, gaps };
}

function main(file) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(error.code === "ENOENT" ? "no incremental file; run npm run mutate first" : `cannot be read as a mutation report (${error.message})`);
  }
  const { rows, gaps } = summarize(report);
  const widths = HEADER.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((cell, i) => String(cell).padEnd(widths[i])).join("  ").trimEnd());
  console.log(`\n${gaps.length} mutant(s) no test detected:`);
  for (const gap of gaps) console.log(gap);
}

module.exports = { summarize };

if (require.main === module) {
  const file = process.argv[2] ?? "reports/mutation/incremental.json";
  try {
    main(file);
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    process.exit(2);
  }
}
