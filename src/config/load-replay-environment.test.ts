import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadReplayEnvironment } from './load.js';

describe('loadReplayEnvironment', () => {
  it('takes DATABASE_URL and the S3 variables, the specific one before the general one', () => {
    assert.deepEqual(
      loadReplayEnvironment({
        DATABASE_URL: 'postgres://db/events',
        AWS_ENDPOINT_URL_S3: 'http://s3.local',
        AWS_ENDPOINT_URL: 'http://other.local',
        AWS_DEFAULT_REGION: 'eu-west-1',
      }),
      { databaseUrl: 'postgres://db/events', s3Endpoint: 'http://s3.local', s3Region: 'eu-west-1' },
    );
    assert.deepEqual(loadReplayEnvironment({ AWS_ENDPOINT_URL: 'http://other.local', AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-west-1' }), {
      s3Endpoint: 'http://other.local',
      s3Region: 'us-west-2',
    });
  });

  it('treats blank values as unset', () => {
    assert.deepEqual(loadReplayEnvironment({ DATABASE_URL: ' ', AWS_REGION: '' }), {});
  });
});
