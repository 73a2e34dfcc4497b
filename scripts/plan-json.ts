// The parts of `terraform show -json <plan>` (format 1.x) the tools read.

export interface Change {
  readonly actions: string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly importing?: object;
  readonly replace_paths?: (string | number)[][];
}

export interface ResourceChange {
  readonly address: string;
  readonly action_reason?: string;
  readonly change: Change;
}

export interface Plan {
  readonly resource_changes?: ResourceChange[];
  readonly resource_drift?: ResourceChange[];
  readonly output_changes?: Record<string, Change>;
  readonly configuration?: {
    readonly root_module?: {
      readonly resources?: { readonly address: string; readonly depends_on?: string[]; readonly expressions?: object }[];
    };
  };
}
