import { IntLimit } from "./rule";

/** Remote state on both clouds. */
export const STATE = {
  /** Noncurrent versions of each state object kept for restores. */
  keepVersions: { min: 1, max: 100, default: 10 } satisfies IntLimit,
  /** Where the bootstrap stack's own state is: "local" until the bucket exists, then "bucket". */
  bootstrapModes: ["local", "bucket"] as const,
  defaultBootstrap: "local" as const,
};
