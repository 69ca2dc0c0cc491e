#!/usr/bin/env node
// Fails when the top-level folders of src/ import each other in a cycle (a → b → … → a).
// dependency-cruiser's own rules see modules, not folders: its no-circular rule catches cycles
// between files, and the layer rules catch a backward import only where LAYERS names both folders.
// This builds the folder graph from its JSON output and looks for strongly connected folders.
//
//   node scripts/folder-cycles.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const run = spawnSync(
  process.execPath,
  ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
  { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 },
);
if (run.error !== undefined || run.stdout === '') {
  process.stderr.write(run.stderr);
  throw run.error ?? new Error(`dependency-cruiser exited with ${run.status}`);
}
const { modules } = JSON.parse(run.stdout);

const folderOf = (path) => /^src\/([^/]+)\//.exec(path)?.[1];

/** Folder → folder → the file-level imports behind that edge. */
function folderGraph() {
  const graph = new Map();
  for (const module of modules) {
    const from = folderOf(module.source);
    if (from === undefined) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (to === undefined || to === from) continue;
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to).push(`${module.source} → ${dependency.resolved}`);
      if (!graph.has(to)) graph.set(to, new Map());
    }
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one folder: each holds a cycle. */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node).keys()) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

function describe(graph, component) {
  const lines = [`  ${component.join(', ')}`];
  const members = new Set(component);
  for (const from of component) {
    for (const [to, imports] of graph.get(from)) {
      if (!members.has(to)) continue;
      lines.push(`    ${from} → ${to} (${imports.length}): ${imports.slice(0, 3).join('; ')}${imports.length > 3 ? '; …' : ''}`);
    }
  }
  return lines.join('\n');
}

const graph = folderGraph();
const found = cycles(graph);
if (found.length > 0) {
  console.error('Top-level folders of src/ that import each other in a cycle:');
  for (const component of found) console.error(describe(graph, component));
  process.exitCode = 1;
} else {
  console.log(`No cycles between the ${graph.size} top-level folders of src/.`);
}
