// The few GitHub REST calls the review tools make, with the token the workflow gives them
// (GH_TOKEN or GITHUB_TOKEN) against GITHUB_API_URL, which GitHub Actions sets.

export interface Comment {
  readonly id: number;
  readonly body: string;
  readonly user: { readonly login: string };
}

export interface PullRequest {
  readonly number: number;
  readonly merge_commit_sha: string | null;
  readonly merged_at: string | null;
  readonly head: { readonly sha: string };
}

export class GitHub {
  private readonly api: string;
  private readonly token: string;

  constructor(readonly repository: string, env: NodeJS.ProcessEnv = process.env) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new Error(`repository ${JSON.stringify(repository)}: must be <owner>/<name> (GITHUB_REPOSITORY)`);
    const token = env.GH_TOKEN || env.GITHUB_TOKEN;
    if (!token) throw new Error("no GitHub token: set GH_TOKEN (the workflow's github.token)");
    this.token = token;
    this.api = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, "");
  }

  /** Every comment on a pull request, oldest first. */
  async comments(pr: number): Promise<Comment[]> {
    const all: Comment[] = [];
    for (let page = 1; ; page++) {
      const batch = await this.call<Comment[]>("GET", `/repos/${this.repository}/issues/${pr}/comments?per_page=100&page=${page}`);
      all.push(...batch);
      if (batch.length < 100) return all;
    }
  }

  /** Edits the first comment whose body starts with `marker`, or adds one. */
  async upsertComment(pr: number, marker: string, body: string, author: string): Promise<"created" | "updated"> {
    if (!body.startsWith(marker)) throw new Error(`the comment must start with its marker ${marker}`);
    const existing = (await this.comments(pr)).find((c) => c.user.login === author && c.body.startsWith(marker));
    if (existing) await this.call("PATCH", `/repos/${this.repository}/issues/comments/${existing.id}`, { body });
    else await this.call("POST", `/repos/${this.repository}/issues/${pr}/comments`, { body });
    return existing ? "updated" : "created";
  }

  /** The pull requests a commit belongs to (for a merge commit: the one it merged). */
  pullsOf(sha: string): Promise<PullRequest[]> {
    return this.call<PullRequest[]>("GET", `/repos/${this.repository}/commits/${sha}/pulls`);
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const url = `${this.api}${route}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new Error(`${method} ${url}: ${cause}`);
    }
    if (!response.ok) throw new Error(`${method} ${url}: GitHub answered ${response.status} ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as T;
  }
}
