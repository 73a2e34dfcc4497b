import { parseArgs, ParseArgsConfig } from "util";

/** node's parseArgs (strict: an unknown option or a missing value is an error), its errors ending with the usage. */
export function parseOptions<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new Error(`${(error as Error).message}; usage: ${usage}`);
  }
}

/** A count option's value: a whole number of at least 1, or `fallback` when it is not given. */
export function count(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${option} ${value}: must be a whole number of at least 1`);
  return n;
}
