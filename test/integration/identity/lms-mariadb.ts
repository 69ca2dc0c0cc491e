import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import mysql from 'mysql2/promise';

/** MariaDB of this machine (brief: 127.0.0.1:3306, root without password). */
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** A fresh LMS database with edx-platform's tables, dropped by `drop()`. */
export interface TestLmsDatabase {
  readonly name: string;
  /** Root connection on the database: for seeding and for checking nothing was written. */
  readonly admin: mysql.Connection;
  /** URL of a SELECT-only account on this database, as the router should be given. */
  readonly readOnlyUrl: string;
  drop(): Promise<void>;
}

// edx-platform's tables as Django creates them on MySQL (shared/docs/lms-tables.md).
const DDL = [
  `CREATE TABLE auth_user (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY, password varchar(128) NOT NULL, last_login datetime(6) NULL,
    is_superuser tinyint(1) NOT NULL, username varchar(150) NOT NULL UNIQUE, first_name varchar(150) NOT NULL,
    last_name varchar(150) NOT NULL, email varchar(254) NOT NULL, is_staff tinyint(1) NOT NULL,
    is_active tinyint(1) NOT NULL, date_joined datetime(6) NOT NULL)`,
  `CREATE TABLE external_user_ids_externalidtype (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY, created datetime(6) NOT NULL, modified datetime(6) NOT NULL,
    name varchar(32) NOT NULL UNIQUE, description longtext NOT NULL)`,
  `CREATE TABLE external_user_ids_externalid (
    id int NOT NULL AUTO_INCREMENT PRIMARY KEY, created datetime(6) NOT NULL, modified datetime(6) NOT NULL,
    external_user_id char(32) NOT NULL UNIQUE, external_id_type_id int NOT NULL, user_id int NOT NULL,
    UNIQUE KEY (user_id, external_id_type_id),
    FOREIGN KEY (external_id_type_id) REFERENCES external_user_ids_externalidtype (id),
    FOREIGN KEY (user_id) REFERENCES auth_user (id))`,
  // Some of CourseOverview's fifty columns, several NOT NULL, so that no query can rely on SELECT *.
  `CREATE TABLE course_overviews_courseoverview (
    created datetime(6) NOT NULL, modified datetime(6) NOT NULL, version int NOT NULL,
    id varchar(255) NOT NULL PRIMARY KEY, _location varchar(255) NOT NULL, org longtext NOT NULL,
    display_name longtext NULL, display_number_with_default longtext NOT NULL,
    display_org_with_default longtext NOT NULL, start datetime(6) NULL, end datetime(6) NULL,
    course_image_url longtext NOT NULL, self_paced tinyint(1) NOT NULL, language longtext NULL,
    invitation_only tinyint(1) NOT NULL, has_any_active_web_certificate tinyint(1) NOT NULL)`,
];

/**
 * Creates `edx_router_test_<random>` with the LMS tables and a SELECT-only account, or returns
 * why it cannot (MariaDB unreachable).
 */
export async function createTestLmsDatabase(): Promise<TestLmsDatabase | { unavailable: string }> {
  let root: mysql.Connection;
  try {
    root = await mysql.createConnection({ ...MARIADB, connectTimeout: 3000 });
  } catch (error) {
    return { unavailable: `MariaDB at ${MARIADB.host}:${MARIADB.port} is unreachable: ${(error as Error).message}` };
  }
  const suffix = randomBytes(5).toString('hex');
  const name = `edx_router_test_${suffix}`;
  const reader = `edx_router_ro_${suffix}`;
  const password = randomBytes(12).toString('hex');
  await root.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await root.query(`USE ${name}`);
  for (const statement of DDL) await root.query(statement);
  for (const host of ['%', 'localhost']) {
    await root.query(`CREATE USER '${reader}'@'${host}' IDENTIFIED BY '${password}'`);
    await root.query(`GRANT SELECT ON ${name}.* TO '${reader}'@'${host}'`);
  }
  return {
    name,
    admin: root,
    readOnlyUrl: `mysql://${reader}:${password}@${MARIADB.host}:${MARIADB.port}/${name}`,
    async drop() {
      await root.query(`DROP DATABASE IF EXISTS ${name}`);
      for (const host of ['%', 'localhost']) await root.query(`DROP USER IF EXISTS '${reader}'@'${host}'`);
      await root.end();
    },
  };
}

/** Skips the test with the reason, or fails it when CI=true (an integration test never passes silently). */
export function skipOrFail(t: TestContext, reason: string): void {
  if (process.env['CI'] === 'true') assert.fail(`${reason} (CI=true: MariaDB is required)`);
  t.skip(reason);
}

const NOW = '2024-01-01 00:00:00.000000';

/** Seeds ExternalIdType rows; returns name → id. */
export async function seedTypes(db: TestLmsDatabase, names: readonly string[] = ['xapi', 'caliper', 'lti']): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const type of names) {
    const [result] = await db.admin.query<mysql.ResultSetHeader>(
      'INSERT INTO external_user_ids_externalidtype (created, modified, name, description) VALUES (?, ?, ?, ?)',
      [NOW, NOW, type, `${type} ids`],
    );
    ids[type] = result.insertId;
  }
  return ids;
}

export async function seedUser(db: TestLmsDatabase, id: number, username: string, email = `${username}@example.com`): Promise<void> {
  await db.admin.query(
    'INSERT INTO auth_user (id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) ' +
      "VALUES (?, '!', NULL, 0, ?, '', '', ?, 0, 1, ?)",
    [id, username, email, NOW],
  );
}

/** Seeds one ExternalId as Django stores it: 32 hex digits, no hyphens. */
export async function seedExternalId(db: TestLmsDatabase, userId: number, typeId: number, uuid: string): Promise<void> {
  await db.admin.query('INSERT INTO external_user_ids_externalid (created, modified, external_user_id, external_id_type_id, user_id) VALUES (?, ?, ?, ?, ?)', [
    NOW,
    NOW,
    uuid.replace(/-/g, ''),
    typeId,
    userId,
  ]);
}

export async function seedCourse(db: TestLmsDatabase, id: string, displayName: string | null): Promise<void> {
  await db.admin.query(
    'INSERT INTO course_overviews_courseoverview (created, modified, version, id, _location, org, display_name, ' +
      'display_number_with_default, display_org_with_default, start, end, course_image_url, self_paced, language, ' +
      "invitation_only, has_any_active_web_certificate) VALUES (?, ?, 17, ?, ?, 'edX', ?, 'X', 'edX', NULL, NULL, '', 0, 'en', 0, 0)",
    [NOW, NOW, id, `block-v1:${id}+type@course+block@course`, displayName],
  );
}

/** Rows in the LMS's ExternalId table: the router must never add any. */
export async function externalIdCount(db: TestLmsDatabase): Promise<number> {
  const [rows] = await db.admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM external_user_ids_externalid');
  return Number(rows[0]?.['n']);
}
