/**
 * Which top-level folder of src/ may import which: a folder may import only folders on a lower
 * line below, never one on its own line or above. Lowest first:
 *
 *   core, http          event types, drop and dead-letter reasons, errors; bearer-token check
 *   filters, transforms backend filters; the pure xAPI/Caliper transformers
 *   routers             router types, match_params, destination policy
 *   storage             database connections, schema versions, private files, the router store
 *   identity, queue     identity resolution and stores; the durable outbox (and inbox)
 *   config              the settings schema and the only reader of the environment
 *   delivery, sources   sending to LRSs; taking events in (HTTP, bus, followed files, parsing)
 *   pipeline            parse → filter → identity → transform → match, into the outbox
 *   observability       metrics over every stage's observer
 *   admin               admin API and page
 *   app                 the service's composition root
 *   replay              backfills from tracking logs
 *   cli                 the commands
 *
 * config sits above the parts it describes: parts take finished values or parts, and only the
 * builders above config read Settings. There is no list of tolerated violations: any violation
 * fails `npm run lint`; code that imports upwards moves to the layer it belongs in.
 */
const LAYERS = [
  ['core', 'http'],
  ['filters', 'transforms'],
  ['routers'],
  ['storage'],
  ['identity', 'queue'],
  ['config'],
  ['delivery', 'sources'],
  ['pipeline'],
  ['observability'],
  ['admin'],
  ['app'],
  ['replay'],
  ['cli'],
];

const ALL = LAYERS.flat();

const layeringRules = LAYERS.flatMap((line, index) => {
  const below = new Set(LAYERS.slice(0, index).flat());
  return line.map((folder) => ({
    name: `layer-${folder}`,
    comment: `src/${folder} may import only ${[...below].join(', ') || 'nothing else in src'} (see the layers at the top of .dependency-cruiser.cjs)`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${ALL.filter((other) => !below.has(other)).join('|')})/`, pathNot: `^src/${folder}/` },
  }));
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A module may not import itself through other modules: split out what both need.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unknown-folder',
      comment: 'A new top-level folder of src/ needs its place in LAYERS first.',
      severity: 'error',
      from: { path: `^src/(?!(${ALL.join('|')})/)` },
      to: {},
    },
    ...layeringRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: they tie the folders together as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
