import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CLIENT_SCRIPT } from './assets/client-script.js';
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
export const SCRIPT_ASSET = asset('admin', 'js', 'text/javascript; charset=utf-8', CLIENT_SCRIPT);

/** Registers the asset routes on the `/admin` scope (paths relative to it). */
export function registerAssets(scope: FastifyInstance): void {
  for (const { path, type, body } of [STYLE_ASSET, SCRIPT_ASSET]) {
    scope.get(path.slice('/admin'.length), { config: PUBLIC_ROUTE }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body),
    );
  }
}
