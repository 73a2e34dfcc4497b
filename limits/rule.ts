/**
 * The shapes every limit takes, so the configuration schema, the constructs and the policy read
 * one definition and word its rule the same way. Nothing here knows cdktf or zod.
 */

/** A text rule: the pattern, and the rule as an error message says it. */
export interface TextRule {
  readonly pattern: RegExp;
  readonly rule: string;
}

/** An inclusive integer range, and its default where it has one. */
export interface IntRange {
  readonly min: number;
  readonly max: number;
}

export interface IntLimit extends IntRange {
  readonly default: number;
}

/** The rule `value` breaks, or undefined. */
export function textProblem(rule: TextRule, value: string): string | undefined {
  return rule.pattern.test(value) ? undefined : rule.rule;
}

/** How a range is said in an error message. */
export function rangeRule({ min, max }: IntRange): string {
  return max === Infinity ? `must be an integer of at least ${min}` : `must be an integer from ${min} to ${max}`;
}

export function intProblem(range: IntRange, value: number): string | undefined {
  return Number.isInteger(value) && value >= range.min && value <= range.max ? undefined : rangeRule(range);
}

/** Every TCP port. */
export const TCP_PORT: IntRange = { min: 1, max: 65535 };

/** Where alerts go: a Cockpit contact point, a Cloud Monitoring email channel. */
export const EMAIL: TextRule = { pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, rule: "must be an email address" };
