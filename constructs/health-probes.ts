/**
 * How the platform asks the backend whether it can serve, on both clouds. The startup probe GETs
 * the health path (the seeds' backend answers `/health` with Redis's status and fails when Redis
 * is unreachable), so a revision or deployment that cannot reach Redis never takes traffic. The
 * liveness probe GETs its own path, which checks only that the process answers: on the health path
 * a Redis failover would fail it on every instance at once and restart them all.
 */

/** Checked every 5 s, up to 2 minutes to become healthy (Cloud Run allows at most 240 s). */
export const STARTUP_PROBE = { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 24 } as const;
/** Checked every 30 s; three failures in a row (90 s) restart the instance. */
export const LIVENESS_PROBE = { periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 } as const;
