import { IntLimit, TextRule } from "./rule";

/** Remote state on both clouds. */
export const STATE = {
  /** Noncurrent versions of each state object kept for restores. */
  keepVersions: { min: 1, max: 100, default: 10 } satisfies IntLimit,
  /** Where the bootstrap stack's own state is: "local" until the bucket exists, then "bucket". */
  bootstrapModes: ["local", "bucket"] as const,
  defaultBootstrap: "local" as const,
};

/** Plain segments joined by single slashes: no empty, `.` or `..` segment makes an odd object name. */
const OBJECT_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const SEGMENTS = "segments of letters, digits, '.', '_' or '-', none starting with '.', joined by single '/'";
/** Where in a GCS bucket the gcs backend keeps a stack's state (`<prefix>/default.tfstate`). */
export const GCS_STATE_PREFIX: TextRule = { pattern: OBJECT_PATH, rule: `must be a path in the bucket: ${SEGMENTS}` };
/** The object the S3 backend keeps a stack's state in. */
export const S3_STATE_KEY: TextRule = { pattern: OBJECT_PATH, rule: `must be an object key: ${SEGMENTS}` };
