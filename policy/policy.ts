import { AnnotationMetadataEntryType, Annotations, App, Aspects, IAspect, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { IConstruct } from "constructs";
import { CloudRunInvoker } from "../limits/gcp";

/** What a rule knows about the stack it checks. */
export interface PolicyContext {
  readonly environment: string;
  readonly production: boolean;
  /** Who the environment declares may invoke its Cloud Run service. @default none declared */
  readonly invoker?: CloudRunInvoker;
}

/** A resource as it will be synthesized: resolved JSON, overrides included. */
export interface SynthesizedResource {
  readonly construct: TerraformResource;
  readonly type: string;
  /** `type.name`, the Terraform address. */
  readonly address: string;
  readonly body: Record<string, any>;
  /** Taken over from a live object by an `import` block: its name is the live one. */
  readonly imported: boolean;
}

export interface Finding {
  readonly resource: SynthesizedResource;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

// Stryker disable next-line StringLiteral: an equivalent mutant, any key works while writer and reader share it
const EXEMPTION = "redis-net:policy-exemption";

/**
 * Exempts a resource, or every resource of a construct, from one rule, next to it, with the reason
 * a reviewer will read.
 * The exemption shows in the synthesized metadata and nowhere else.
 */
export function exemptFromPolicy(scope: IConstruct, ruleId: string, reason: string): void {
  if (!reason.trim()) throw new Error(`${scope.node.path}: an exemption from ${ruleId} needs a reason`);
  scope.node.addMetadata(EXEMPTION, { ruleId, reason });
}

/** Exempted itself, or by a construct it belongs to. */
function exempted(resource: TerraformResource, ruleId: string): boolean {
  return resource.node.scopes.some((scope) =>
    scope.node.metadata.some(
      (m) =>
        // Stryker disable next-line ConditionalExpression: no other metadata carries a ruleId, so the type check cannot change the answer
        m.type === EXEMPTION &&
        (m.data as { ruleId: string }).ruleId === ruleId,
    ),
  );
}

/**
 * A policy rule, applied as a cdktf Aspect to a stack: it checks the stack's resolved resources as
 * a whole and records each finding as an error annotation on the resource, which makes synth fail.
 */
export abstract class PolicyRule implements IAspect {
  abstract readonly id: string;
  /** Why the rule exists, in one line. */
  abstract readonly rationale: string;

  constructor(protected readonly context: PolicyContext) {}

  /** Findings among the stack's resources. */
  protected abstract check(resources: SynthesizedResource[]): Finding[];

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.applied.has(node)) return;
    this.apply(node, synthesizedResources(node));
  }

  /** Stacks already checked: cdktf visits again during synth, after policyViolations() did. */
  private readonly applied = new WeakSet<TerraformStack>();

  apply(stack: TerraformStack, resources: SynthesizedResource[]): void {
    this.applied.add(stack);
    for (const finding of this.check(resources)) {
      if (exempted(finding.resource.construct, this.id)) continue;
      Annotations.of(finding.resource.construct).addError(`[${this.id}] ${finding.resource.address}: ${finding.message}`);
    }
  }
}

function synthesizedResources(stack: TerraformStack, synthesized: Record<string, any> = stack.toTerraform()): SynthesizedResource[] {
  const json = synthesized.resource as Record<string, Record<string, any>>;
  // Stryker disable next-line ArrayDeclaration: an equivalent mutant, a non-block entry gives `undefined`, which no address equals
  const imported = new Set<string>((synthesized.import ?? []).map((block: { to: string }) => block.to));
  return stack.node
    .findAll()
    .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c))
    .map((construct) => {
      const type = construct.terraformResourceType;
      const name = construct.friendlyUniqueId;
      const address = `${type}.${name}`;
      return { construct, type, address, body: json[type][name], imported: imported.has(address) };
    });
}

/**
 * Applies every stack's policy aspects now and returns all violations of all stacks, each as
 * `[construct path] [rule id] address: message`. cdktf would apply them stack by stack during
 * synth and stop at the first stack with an error, after writing the stacks before it.
 */
export function policyViolations(app: App): string[] {
  return checkPolicy(app).violations;
}

/** `policyViolations`, with each stack's Terraform JSON as the rules saw it (cdktf's `toTerraform`). */
export function checkPolicy(app: App): { violations: string[]; synthesized: Map<TerraformStack, Record<string, any>> } {
  const synthesized = resolveStacks(app);
  for (const [stack, json] of synthesized) applyRules(stack, json);
  return { violations: annotations(app, AnnotationMetadataEntryType.ERROR), synthesized };
}

/**
 * Every stack's JSON, resolved once, as cdktf's synth prepares each stack: a local backend where it
 * declares none, and a `preparing` resolve, in which a reference to another stack's resource adds
 * the output and the remote state it needs. If that added constructs, every stack is resolved
 * again, with them.
 */
function resolveStacks(app: App): Map<TerraformStack, Record<string, any>> {
  const constructs = () => app.node.findAll().length;
  const before = constructs();
  const resolveAll = () =>
    new Map(
      stacksOf(app).map((stack) => {
        stack.ensureBackendExists();
        return [stack, preparing(() => stack.toTerraform())];
      }),
    );
  const synthesized = resolveAll();
  // Stryker disable next-line ConditionalExpression: an equivalent mutant, resolving again always gives the same JSON, only later
  return constructs() === before ? synthesized : resolveAll();
}

/** Runs `fn` with every resolve a preparing one: that flag changes only how a cross-stack reference resolves. */
function preparing<T>(fn: () => T): T {
  const resolve = Tokenization.resolve;
  Tokenization.resolve = (obj, options) => resolve.call(Tokenization, obj, { ...options, preparing: true });
  try {
    return fn();
  } finally {
    Tokenization.resolve = resolve;
  }
}

/**
 * Makes each stack's synth write the JSON the policy checked, instead of resolving the stack twice
 * more (to prepare it, then to write it): what is written is what was checked. A stack that gained
 * constructs after the check is refused.
 */
export function writeAsChecked(synthesized: Map<TerraformStack, Record<string, any>>): void {
  for (const [stack, json] of synthesized) {
    const checked = stack.node.findAll().length;
    stack.toTerraform = () => {
      const added = stack.node.findAll().length - checked;
      if (added) throw new Error(`${stack.node.id}: changed after the policy checked it (${added} constructs added), so its JSON would not be the one checked`);
      return json;
    };
    // The check prepared the stack (resolveStacks). CDK Terrain's prepareStack also records what
    // the stack uses, for its own validation: it runs there in full.
    // Stryker disable next-line ConditionalExpression,StringLiteral: the fast tier runs on cdktf; npm run cdktn (CI) runs CDK Terrain, whose stacks come out the same either way
    if (!("_runPreparingResolve" in stack)) stack.prepareStack = () => {};
  }
}

function stacksOf(app: App): TerraformStack[] {
  return app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

/** Applies a stack's policy aspects to its JSON. Resolving is the expensive part: once per stack, shared by every rule. */
function applyRules(stack: TerraformStack, json: Record<string, any>): void {
  const resources = synthesizedResources(stack, json);
  for (const aspect of Aspects.of(stack).all) if (aspect instanceof PolicyRule) aspect.apply(stack, resources);
}

/** Every annotation of one level in the app, as `[construct path] message`. */
export function annotations(app: App, level: AnnotationMetadataEntryType): string[] {
  return app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === level).map((m) => `[${c.node.path}] ${m.data}`));
}
