import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Kysely, Transaction } from 'kysely';
import type { JsonObject } from '../core/event.js';
import { compileRouter, type ActiveRouter } from '../routers/active-router.js';
import type { Backend, FieldError, RouterAuth, RouterSpec, StoredRouter } from '../routers/types.js';
import type { ControlPlaneDatabase } from './control-plane-database.js';
import type { ActiveRouterSnapshot, ImportResult, RouterStore, StoreOutcome, Watch } from './router-store.js';
import type { SecretBox } from './secret-box.js';
import type { ControlPlaneTables, RoutersTable } from './tables.js';

type Db = Kysely<ControlPlaneTables> | Transaction<ControlPlaneTables>;

/** The router store on Kysely: dialect-neutral SQL, secrets sealed column by column. */
export function createSqlRouterStore(database: Pick<ControlPlaneDatabase, 'db' | 'box' | 'close'>): RouterStore {
  const { db, box } = database;
  const changes = new EventEmitter();
  const codec = rowCodec(box);

  async function bump(trx: Db): Promise<number> {
    await trx
      .updateTable('control_plane_versions')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('name', '=', 'routers')
      .execute();
    return readVersion(trx);
  }

  async function readVersion(trx: Db): Promise<number> {
    const row = await trx.selectFrom('control_plane_versions').select('version').where('name', '=', 'routers').executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  async function findByUrl(trx: Db, routeUrl: string): Promise<RoutersTable | undefined> {
    return trx.selectFrom('routers').selectAll().where('route_url', '=', routeUrl).executeTakeFirst();
  }

  async function insert(trx: Db, spec: RouterSpec): Promise<StoredRouter> {
    const now = new Date().toISOString();
    const row = codec.encode(randomUUID(), spec, now, now);
    await trx.insertInto('routers').values(row).execute();
    return codec.decode(row);
  }

  async function replace(trx: Db, existing: RoutersTable, spec: RouterSpec): Promise<StoredRouter> {
    const row = codec.encode(existing.id, spec, existing.created_at, new Date().toISOString());
    await trx.updateTable('routers').set(row).where('id', '=', existing.id).execute();
    return codec.decode(row);
  }

  /** Run a change in a transaction, bump the version in it, then tell local watchers. */
  async function change<T>(work: (trx: Transaction<ControlPlaneTables>) => Promise<{ value: T; changed: boolean }>): Promise<T> {
    const { value, version } = await db.transaction().execute(async (trx) => {
      const result = await work(trx);
      return { value: result.value, version: result.changed ? await bump(trx) : undefined };
    });
    if (version !== undefined) changes.emit('change', version);
    return value;
  }

  const conflict = (url: string): StoreOutcome => ({
    ok: false,
    reason: 'conflict',
    message: `a router for ${url} exists already (route URLs are unique, as in ERB)`,
  });

  return {
    async list() {
      const rows = await db.selectFrom('routers').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map((row) => codec.decode(row));
    },

    async get(id) {
      const row = await db.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : codec.decode(row);
    },

    create: (spec) =>
      change(async (trx) => {
        if (await findByUrl(trx, spec.routeUrl)) return { value: conflict(spec.routeUrl), changed: false };
        return { value: { ok: true, router: await insert(trx, spec) }, changed: true };
      }),

    update: (id, spec) =>
      change(async (trx) => {
        const existing = await trx.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
        if (existing === undefined) {
          return { value: { ok: false, reason: 'not_found', message: `no router with id ${id}` }, changed: false };
        }
        const other = await findByUrl(trx, spec.routeUrl);
        if (other !== undefined && other.id !== id) return { value: conflict(spec.routeUrl), changed: false };
        return { value: { ok: true, router: await replace(trx, existing, spec) }, changed: true };
      }),

    remove: (id) =>
      change(async (trx) => {
        const result = await trx.deleteFrom('routers').where('id', '=', id).executeTakeFirst();
        const removed = Number(result.numDeletedRows) > 0;
        return { value: removed, changed: removed };
      }),

    importRouters: (specs) =>
      change(async (trx) => {
        const result: ImportResult = { created: [], updated: [] };
        for (const spec of specs) {
          const existing = await findByUrl(trx, spec.routeUrl);
          if (existing === undefined) result.created.push(await insert(trx, spec));
          else result.updated.push(await replace(trx, existing, spec));
        }
        return { value: result, changed: specs.length > 0 };
      }),

    version: () => readVersion(db),

    async activeRouters(backend?: Backend): Promise<ActiveRouterSnapshot> {
      // One transaction, so the routers and the version belong together.
      return db.transaction().execute(async (trx) => {
        const version = await readVersion(trx);
        let query = trx.selectFrom('routers').selectAll().where('enabled', '=', 1);
        if (backend !== undefined) query = query.where('backend', '=', backend);
        const rows = await query.orderBy('created_at').orderBy('id').execute();
        const routers: ActiveRouter[] = [];
        const invalid: Array<{ id: string; errors: FieldError[] }> = [];
        for (const row of rows) {
          const compiled = compileRouter(codec.decode(row));
          if (compiled.ok) routers.push(compiled.router);
          else invalid.push({ id: row.id, errors: compiled.errors });
        }
        return { version, routers, invalid };
      });
    },

    watch(listener, options = {}): Watch {
      const intervalMs = options.intervalMs ?? 1000;
      let last: number | undefined;
      let closed = false;
      let polling = false;
      const notify = (version: number): void => {
        if (closed || version === last) return;
        last = version;
        listener(version);
      };
      changes.on('change', notify);
      void readVersion(db).then(
        (v) => (last ??= v),
        () => undefined,
      );
      const timer = setInterval(() => {
        if (polling || closed) return;
        polling = true;
        readVersion(db)
          .then((version) => {
            if (last === undefined) last = version;
            else notify(version);
          })
          // The database may be closing; the next tick tries again or the watch is closed.
          .catch(() => undefined)
          .finally(() => (polling = false));
      }, intervalMs);
      timer.unref();
      return {
        close() {
          closed = true;
          clearInterval(timer);
          changes.off('change', notify);
        },
      };
    },

    close: () => database.close(),
  };
}

/** Rows ⇄ routers; every credential and the configurations JSON are sealed per row and column. */
function rowCodec(box: SecretBox) {
  const seal = (id: string, column: string, value: string | null): string | null => (value === null ? null : box.seal(value, `routers.${column}.${id}`));
  const open = (id: string, column: string, value: string | null): string | null => (value === null ? null : box.open(value, `routers.${column}.${id}`));

  return {
    encode(id: string, spec: RouterSpec, createdAt: string, updatedAt: string): RoutersTable {
      const { auth } = spec;
      return {
        id,
        backend: spec.backend,
        route_url: spec.routeUrl,
        auth_scheme: auth.scheme,
        username_enc: seal(id, 'username', auth.scheme === 'basic' ? auth.username : null),
        password_enc: seal(id, 'password', auth.scheme === 'basic' ? auth.password : null),
        token_enc: seal(id, 'token', auth.scheme === 'bearer' ? auth.token : null),
        configurations_enc: seal(id, 'configurations', spec.configurations === null ? null : JSON.stringify(spec.configurations)),
        enabled: spec.enabled ? 1 : 0,
        created_at: createdAt,
        updated_at: updatedAt,
      };
    },
    decode(row: RoutersTable): StoredRouter {
      const configurations = open(row.id, 'configurations', row.configurations_enc);
      return {
        id: row.id,
        backend: row.backend as Backend,
        routeUrl: row.route_url,
        auth: decodeAuth(row, (column, value) => open(row.id, column, value) ?? ''),
        enabled: Number(row.enabled) === 1,
        configurations: configurations === null ? null : (JSON.parse(configurations) as JsonObject),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    },
  };
}

function decodeAuth(row: RoutersTable, open: (column: string, value: string | null) => string): RouterAuth {
  switch (row.auth_scheme) {
    case 'basic':
      return { scheme: 'basic', username: open('username', row.username_enc), password: open('password', row.password_enc) };
    case 'bearer':
      return { scheme: 'bearer', token: open('token', row.token_enc) };
    default:
      return { scheme: 'none' };
  }
}
