import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPostgresUrl, redactDatabaseUrl } from './database-url.js';

describe('DATABASE_URL', () => {
  it('selects PostgreSQL for postgres:// and postgresql:// only', () => {
    assert.equal(isPostgresUrl('postgres://u@h/db'), true);
    assert.equal(isPostgresUrl('postgresql://u@h/db'), true);
    assert.equal(isPostgresUrl(undefined), false);
    assert.equal(isPostgresUrl('mysql://u@h/db'), false);
  });

  it('prints without the password', () => {
    const shown = redactDatabaseUrl('postgres://router:s3cret@db.example.com:5432/edx?sslmode=require');
    assert.equal(shown.includes('s3cret'), false);
    assert.match(shown, /^postgres:\/\/router:redacted@db\.example\.com:5432\/edx\?sslmode=require$/);
    assert.equal(redactDatabaseUrl('postgres://h/db?password=p4ss').includes('p4ss'), false);
  });
});
