/**
 * GitHub's rules and the facts of its OIDC tokens that the CI identities rely on, written once:
 * the configuration schema checks `ci.repository` with them and the stacks build the subjects the
 * identities trust from them.
 */

/** The issuer of the tokens GitHub Actions hands a job with `id-token: write`. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** GitHub's owner rule: 1-39 letters, digits or single hyphens, no hyphen first or last. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub's repository name rule: 1-100 letters, digits, '.', '_' or '-'. */
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** The rule an `<owner>/<repo>` breaks, or undefined. */
export function githubRepositoryProblem(repository: string): string | undefined {
  const parts = repository.split("/");
  if (parts.length !== 2) return "must be a GitHub repository as <owner>/<repo>, e.g. netra-systems/redis-private-networking";
  const [owner, name] = parts;
  if (!OWNER.test(owner)) return "must have an owner of 1-39 letters, digits or single hyphens, not starting or ending with a hyphen (GitHub's rule)";
  if (!NAME.test(name)) return "must have a repository name of 1-100 letters, digits, '.', '_' or '-' (GitHub's rule)";
  if (name === "." || name === ".." || name.toLowerCase().endsWith(".git")) return 'must have a repository name other than "." or "..", not ending in ".git" (GitHub refuses them)';
  return undefined;
}

/**
 * The `sub` claim of a job's token, as GitHub builds it without a custom template: a job bound to
 * a deployment environment says only the environment; otherwise a pull request says
 * `pull_request`, and any other event the ref it runs on.
 */
export const githubSubject = {
  pullRequest: (repository: string) => `repo:${repository}:pull_request`,
  ref: (repository: string, ref: string) => `repo:${repository}:ref:${ref}`,
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
};

/** The branch whose jobs (pushes, the schedule, manual runs) run trusted code. */
export const DEFAULT_BRANCH_REF = "refs/heads/main";
