import { UBL_PREFIXES } from '../ubl/ubl-namespaces.js';
import type { XElement } from '../xml/xml-tree.js';
import type { ValidationContext } from './validation-context.js';

/**
 * The UBL-CR "should not include" rules (EN 16931 1.3.8 UBL syntax binding; data in
 * rules/ubl-forbidden-paths.ts) compiled once into one trie of element steps, and evaluated by ONE
 * walk of the document per validation instead of one path evaluation per rule (673 rules: that was
 * half of the validator's time). The walk only descends where some forbidden path continues, so its
 * cost is the number of elements on those paths, linear in the invoice's lines.
 *
 * Path syntax (as in the data): steps joined by `/`, relative to the document root; `(a|b)` is a
 * union step; `@x` a final attribute step (qualified name, as `hasAttribute`); a leading `//` means
 * any descendant (`//a/b`, `//@x`: a no-namespace attribute anywhere). A step without prefix matches
 * any namespace.
 */

interface Trie {
  /** Child element steps: key `ns\u0000local` (`*` as ns: any namespace). */
  readonly kids: Map<string, Trie>;
  /** Final attribute steps: attribute name -> rule ids. */
  readonly attrs: Map<string, string[]>;
  /** Rule ids whose path ends at this element step. */
  readonly hits: string[];
}

const newTrie = (): Trie => ({ kids: new Map(), attrs: new Map(), hits: [] });
const ANY = '*';

function stepKeys(step: string): string[] {
  return step
    .replace(/^\(|\)$/g, '')
    .split('|')
    .map((n) => {
      const i = n.indexOf(':');
      if (i < 0) return `${ANY}\u0000${n}`;
      const ns = UBL_PREFIXES[n.slice(0, i)];
      if (ns === undefined) throw new Error(`forbidden path: unknown prefix in ${n}`);
      return `${ns}\u0000${n.slice(i + 1)}`;
    });
}

/** Adds `steps` below `node` for rule `id` (unions fan out). */
function insert(node: Trie, steps: readonly string[], id: string): void {
  const [step, ...rest] = steps;
  if (step === undefined) {
    node.hits.push(id);
    return;
  }
  if (step.startsWith('@')) {
    if (rest.length) throw new Error(`forbidden path: attribute step must be last (${id})`);
    const name = step.slice(1);
    const ids = node.attrs.get(name) ?? [];
    ids.push(id);
    node.attrs.set(name, ids);
    return;
  }
  for (const key of stepKeys(step)) {
    let next = node.kids.get(key);
    if (!next) node.kids.set(key, (next = newTrie()));
    insert(next, rest, id);
  }
}

/** The compiled form of a list of `[id, path]` forbidden paths. */
export class ForbiddenPaths {
  private readonly rootTrie = newTrie();
  /** `//first/...` paths: per first-step key, the trie whose root stands for that element. */
  private readonly anywhere = new Map<string, Trie>();
  /** `//@name` paths: attribute name -> rule ids. */
  private readonly anyAttr = new Map<string, string[]>();
  /** Every rule id compiled. */
  readonly ids: ReadonlySet<string>;

  constructor(paths: ReadonlyArray<readonly [id: string, path: string]>) {
    const ids = new Set<string>();
    for (const [id, path] of paths) {
      ids.add(id);
      if (path.startsWith('//@')) {
        const name = path.slice(3);
        this.anyAttr.set(name, [...(this.anyAttr.get(name) ?? []), id]);
      } else if (path.startsWith('//')) {
        const [first, ...rest] = path.slice(2).split('/');
        for (const key of stepKeys(first!)) {
          let t = this.anywhere.get(key);
          if (!t) this.anywhere.set(key, (t = newTrie()));
          insert(t, rest, id);
        }
      } else insert(this.rootTrie, path.split('/'), id);
    }
    this.ids = ids;
  }

  /**
   * Evaluates every compiled path on the document of `ctx`.
   * @returns rule id -> the offending elements (for an attribute step, the element carrying it), in
   *   the order found; rules with no occurrence are absent.
   */
  evaluate(ctx: ValidationContext): Map<string, XElement[]> {
    const out = new Map<string, XElement[]>();
    const hit = (id: string, el: XElement) => {
      const list = out.get(id);
      if (list) list.push(el);
      else out.set(id, [el]);
    };
    const walk = (el: XElement, t: Trie) => {
      for (const id of t.hits) hit(id, el);
      if (t.attrs.size) for (const [name, ids] of t.attrs) if (el.hasAttribute(name)) for (const id of ids) hit(id, el);
      if (t.kids.size === 0) return;
      for (const k of el.elements) {
        const exact = t.kids.get(`${k.namespaceURI}\u0000${k.localName}`);
        if (exact) walk(k, exact);
        const any = t.kids.get(`${ANY}\u0000${k.localName}`);
        if (any) walk(k, any);
      }
    };
    walk(ctx.root, this.rootTrie);
    for (const [key, t] of this.anywhere) {
      const sep = key.indexOf('\u0000');
      const ns = key.slice(0, sep);
      for (const el of ctx.byLocalName(key.slice(sep + 1))) if (ns === ANY || el.namespaceURI === ns) walk(el, t);
    }
    if (this.anyAttr.size) {
      for (const [name, ids] of this.anyAttr) {
        if ((ctx.attributeCounts.get(name) ?? 0) === 0) continue;
        for (const el of ctx.elementsWithAttribute(name)) for (const id of ids) hit(id, el);
      }
    }
    return out;
  }
}
