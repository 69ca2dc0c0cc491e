import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configuredLines } from './startup-notes.js';

const settings = {
  XAPI_EVENTS_ENABLED: true,
  CALIPER_EVENTS_ENABLED: false,
  XAPI_EVENT_LOGGING_ENABLED: true,
  CALIPER_EVENT_LOGGING_ENABLED: false,
  EVENT_ROUTER_XAPI_TRACKING_LOG: undefined,
  EVENT_ROUTER_CALIPER_TRACKING_LOG: 'stdout',
  LMS_ROOT_URL: 'https://lms.example.com',
  EVENT_ROUTER_TRACKING_LOG_FORMAT: 'json',
} as const;

describe('configuredLines', () => {
  it('counts routers per backend and says which receive nothing', () => {
    const lines = configuredLines(settings, [
      { backend: 'xapi', enabled: true },
      { backend: 'xapi', enabled: false },
      { backend: 'caliper', enabled: true },
    ]);
    assert.deepEqual(lines, [
      'routers: 2 xAPI (1 enabled), 1 Caliper (1 enabled; CALIPER_EVENTS_ENABLED is false, so they receive nothing)',
      'LMS: https://lms.example.com',
      'statement log: off (EVENT_ROUTER_XAPI_TRACKING_LOG names a destination: docs/configuration.md)',
    ]);
  });

  it('names the statement log destinations, and says when the LMS URL is missing', () => {
    const lines = configuredLines(
      {
        ...settings,
        LMS_ROOT_URL: undefined,
        EVENT_ROUTER_XAPI_TRACKING_LOG: '/data/xapi.log',
        CALIPER_EVENTS_ENABLED: true,
        CALIPER_EVENT_LOGGING_ENABLED: true,
        EVENT_ROUTER_TRACKING_LOG_FORMAT: 'erb',
      },
      [],
    );
    assert.deepEqual(lines, [
      'routers: none yet',
      'LMS: LMS_ROOT_URL is not set; statements use http://localhost:18000',
      'statement log: xapi_tracking to /data/xapi.log, caliper_tracking to stdout (erb lines)',
    ]);
  });
});
