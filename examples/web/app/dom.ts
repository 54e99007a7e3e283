// examples/web/app/dom.ts — the page's one DOM helper: an element by id, checked to be of the expected kind.
/** The element with `id`, which must be an instance of `kind` (a missing or mistyped element is a page bug). */
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the page lacks a ${kind.name} #${id}`);
  return element;
}
