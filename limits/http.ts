import { TextRule } from "./rule";

/** The seeds' backend answers `/health` with Redis's status and fails when Redis is unreachable. */
export const DEFAULT_HEALTH_PATH = "/health";
/**
 * What the liveness probe GETs: the usual name of a check that the process answers and nothing
 * more (never Redis, or a Redis failover restarts every instance). Cloud Run's liveness probe
 * takes HTTP or gRPC only, not TCP, so the backend must answer it on both clouds.
 */
export const DEFAULT_LIVENESS_PATH = "/healthz";
export const HEALTH_PATH: TextRule = { pattern: /^\/[^\s?#]*$/, rule: 'must be an HTTP path starting with "/"' };
/** The port the seeds' backends listen on, on both clouds. */
export const DEFAULT_BACKEND_PORT = 8080;

/** An image with a tag or a sha256 digest; Terraform's regex syntax, which JavaScript shares here. */
export const IMAGE_PATTERN = "^[^ :@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$";
export const IMAGE: TextRule = { pattern: new RegExp(IMAGE_PATTERN), rule: "must name an image with a tag or a sha256 digest (no implicit latest)" };
