import { randomBytes } from 'node:crypto';
import { after, it, type TestContext } from 'node:test';
import pg from 'pg';

/**
 * PostgreSQL for tests: a fresh database per test file (edx_router_test_<random>), dropped
 * afterwards. The server is $TEST_POSTGRES_URL, else the local one (trust auth as postgres or
 * root). Without a server, tests skip with the reason, except under CI=true, where they fail.
 */
const CANDIDATES = process.env['TEST_POSTGRES_URL']
  ? [process.env['TEST_POSTGRES_URL']]
  : ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'];

export interface TestDatabase {
  /** The URL of the fresh database. */
  readonly url: string;
  readonly name: string;
  /** Runs SQL on it (a short-lived connection). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /**
   * A fresh schema in this database, as a database of its own: its URL sets the search_path
   * (as a deployment may). Much cheaper than CREATE DATABASE, for one clean slate per case.
   */
  schema(): Promise<TestDatabase>;
}

export type TestServer = { ok: true; adminUrl: string } | { ok: false; reason: string };

let server: Promise<TestServer> | undefined;

/** Finds a reachable server once per process. */
export function testServer(): Promise<TestServer> {
  server ??= (async (): Promise<TestServer> => {
    const errors: string[] = [];
    for (const url of CANDIDATES) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return { ok: true, adminUrl: url };
      } catch (error) {
        errors.push(`${url.replace(/\/\/[^@]*@/, '//…@')}: ${(error as Error).message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    return { ok: false, reason: `PostgreSQL unreachable (${errors.join('; ')})` };
  })();
  return server;
}

const created: Array<{ adminUrl: string; name: string }> = [];
// Registered at import (top level), so it runs once the whole file is done.
after(async () => {
  for (const { adminUrl, name } of created.splice(0)) {
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
});

/** Creates a fresh database, dropped when the test file ends (may be called inside a test). */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `edx_router_test_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  created.push({ adminUrl, name });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return database(url.toString(), name);
}

function database(url: string, name: string): TestDatabase {
  const self: TestDatabase = {
    url,
    name,
    sql: (text, values) => withClient(url, (client) => client.query(text, values)),
    async schema() {
      const schema = `s_${randomBytes(6).toString('hex')}`;
      await self.sql(`CREATE SCHEMA ${schema}`);
      const scoped = new URL(url);
      scoped.searchParams.set('options', `-c search_path=${schema}`);
      return database(scoped.toString(), `${name}.${schema}`);
    },
  };
  return self;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A missing server: a failure under CI, a skip with the reason elsewhere. */
export function skipOrFail(t: TestContext, reason: string): void {
  if (process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: integration services must be available)`);
  t.skip(reason);
}

/**
 * For files that need a database at load time: resolves to it, or registers one test that
 * skips (fails under CI) with the reason and resolves to undefined.
 */
export async function databaseOrSkip(title: string): Promise<TestDatabase | undefined> {
  const found = await testServer();
  if (!found.ok) {
    it(title, (t) => skipOrFail(t, found.reason));
    return undefined;
  }
  return createTestDatabase(found.adminUrl);
}
