import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { STYLES } from './assets/styles.js';
import { PUBLIC_ROUTE } from './context.js';

/**
 * The stylesheet and the script under content-hashed names, so browsers cache them for good
 * and a new release still loads the new ones.
 */
interface Asset {
  readonly path: string;
  readonly type: string;
  readonly body: string;
}

function asset(name: string, ext: string, type: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/admin/assets/${name}.${hash}.${ext}`, type, body };
}

export const STYLE_ASSET = asset('admin', 'css', 'text/css; charset=utf-8', STYLES);

/** Written by tsconfig.browser.json beside this module (dist/ and dist-test/ alike). */
const SCRIPT_FILE = new URL('./browser/admin-page.js', import.meta.url);
let script: Asset | undefined;

/**
 * Read on first use, not at import: every CLI command imports this module, and only the admin
 * page needs the script, so a build without it fails there, with a message, and nowhere else.
 */
function scriptAsset(): Asset {
  if (script !== undefined) return script;
  let body: string;
  try {
    body = readFileSync(SCRIPT_FILE, 'utf8');
  } catch (error) {
    throw new Error(`the admin page script ${fileURLToPath(SCRIPT_FILE)} is not built: run \`npm run build\` (or \`npm run build:test\`)`, { cause: error });
  }
  script = asset('admin', 'js', 'text/javascript; charset=utf-8', body);
  return script;
}

export const SCRIPT_ASSET: Asset = {
  get path() {
    return scriptAsset().path;
  },
  get type() {
    return scriptAsset().type;
  },
  get body() {
    return scriptAsset().body;
  },
};

/** Registers the asset routes on the `/admin` scope (paths relative to it). */
export function registerAssets(scope: FastifyInstance): void {
  for (const { path, type, body } of [STYLE_ASSET, SCRIPT_ASSET]) {
    scope.get(path.slice('/admin'.length), { config: PUBLIC_ROUTE }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body),
    );
  }
}
