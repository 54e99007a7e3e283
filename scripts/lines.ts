// scripts/lines.ts — the size report of docs/style.md §12: lines per layer of src/, and the files and
// functions over the soft limits (400 lines per file, 60 per function). A report, not a gate: growth
// past a limit needs a reason in review, not a failing build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const FILE_LIMIT = 400;
const FUNCTION_LIMIT = 60;
// The repository root, from dist/scripts/ (import.meta.dirname needs Node 20.11).
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every .ts file under dir, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Functions (declarations, methods, arrows, expressions) longer than the limit, as [name, lines]. */
function longFunctions(file: ts.SourceFile): [string, number][] {
  const found: [string, number][] = [];
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(file)) + 1;
      if (lines > FUNCTION_LIMIT) {
        const name = 'name' in node && node.name !== undefined ? node.name.getText(file) : '(anonymous)';
        found.push([`${name} at line ${String(lineOf(node.getStart(file)) + 1)}`, lines]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const perLayer = new Map<string, number>();
const overFile: string[] = [];
const overFunction: string[] = [];
for (const path of sources(join(root, 'src'))) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const rel = relative(root, path);
  const layer = rel.split('/').length > 2 ? rel.split('/')[1] : '(top)';
  perLayer.set(layer, (perLayer.get(layer) ?? 0) + lines);
  if (lines > FILE_LIMIT) overFile.push(`  ${rel}: ${String(lines)} lines`);
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  for (const [name, n] of longFunctions(file)) overFunction.push(`  ${rel}: ${name}, ${String(n)} lines`);
}

console.log('lines per layer of src/:');
for (const [layer, n] of [...perLayer].sort((a, b) => b[1] - a[1])) console.log(`  ${layer.padEnd(10)} ${String(n).padStart(6)}`);
console.log(`files over ${String(FILE_LIMIT)} lines: ${overFile.length === 0 ? 'none' : ''}`);
for (const line of overFile) console.log(line);
console.log(`functions over ${String(FUNCTION_LIMIT)} lines: ${overFunction.length === 0 ? 'none' : ''}`);
for (const line of overFunction) console.log(line);
