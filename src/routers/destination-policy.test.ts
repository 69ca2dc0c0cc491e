import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_DESTINATIONS, isInside, isLinkLocalAddress, refusedDestination } from './destination-policy.js';

describe('destination policy', () => {
  it('refuses link-local and metadata addresses in every spelling, allows private and loopback ones', () => {
    for (const url of [
      'http://169.254.169.254/latest/',
      'http://169.254.0.1/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fe80::1]/',
      'http://[FE80::abcd%25eth0]/',
      'http://2852039166/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://metadata.google.internal/',
      'http://METADATA.GOOGLE.INTERNAL./',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
    ]) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        continue; // A form the URL parser refuses never reaches the policy.
      }
      assert.ok(refusedDestination(parsed, DEFAULT_DESTINATIONS), `${url} is refused`);
      assert.equal(refusedDestination(parsed, { ...DEFAULT_DESTINATIONS, allowLinkLocal: true }), undefined, `${url} is allowed by the setting`);
    }
    for (const url of [
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.0.1/',
      'http://127.0.0.1:8100/',
      'http://[::1]/',
      'http://[fd12::1]/',
      'https://lrs.example.com/',
    ]) {
      assert.equal(refusedDestination(new URL(url), DEFAULT_DESTINATIONS), undefined, url);
    }
    assert.equal(isLinkLocalAddress('not-an-address'), false);
  });

  it('allows file:// routes only below the configured directory', () => {
    assert.match(refusedDestination(new URL('file:///tmp/x.ndjson'), DEFAULT_DESTINATIONS) ?? '', /file:\/\/ routers are off/);
    const policy = { fileRoutesDir: '/srv/routes', allowLinkLocal: false };
    assert.equal(refusedDestination(new URL('file:///srv/routes/a/x.ndjson'), policy), undefined);
    assert.match(refusedDestination(new URL('file:///etc/passwd'), policy) ?? '', /inside \/srv\/routes/);
    assert.match(refusedDestination(new URL('file:///srv/routes/../x'), policy) ?? '', /inside/);
    assert.match(refusedDestination(new URL('file:///srv/routes-other/x'), policy) ?? '', /inside/);
    assert.equal(isInside('/srv/routes', '/srv/routes'), false, 'the directory itself is not a file in it');
    assert.equal(isInside('/srv/routes', '/srv/routes/..x'), true);
  });
});
