import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHostCheck, createOriginCheck } from './access-checks.js';

describe('createOriginCheck', () => {
  const allowed = createOriginCheck(['https://studio.example.com', 'http://localhost:3000/']);
  const cases: Array<[string, string | string[] | undefined, boolean]> = [
    ['O01 no Origin (shippers, curl, the LMS)', undefined, true],
    ['O02 a listed origin', 'https://studio.example.com', true],
    ['O03 listed with a trailing slash, sent without', 'http://localhost:3000', true],
    ['O04 same host, other scheme', 'http://studio.example.com', false],
    ['O05 another site', 'http://evil.example', false],
    ['O06 a sandboxed page', 'null', false],
    ['O07 two Origin headers', ['https://studio.example.com', 'http://evil.example'], false],
  ];
  for (const [name, origin, want] of cases) it(name, () => assert.equal(allowed(origin), want));
  it('O08 nothing listed: only requests without Origin', () => {
    assert.equal(createOriginCheck([])(undefined), true);
    assert.equal(createOriginCheck([])('https://studio.example.com'), false);
  });
});

describe('createHostCheck', () => {
  const allowed = createHostCheck(['router.example.com', '.example.org', '127.0.0.1', '[::1]']);
  const cases: Array<[string, string | undefined, boolean]> = [
    ['H01 exact name', 'router.example.com', true],
    ['H02 exact name with a port', 'ROUTER.example.com:8080', true],
    ['H03 a subdomain of an exact name', 'a.router.example.com', false],
    ['H04 the domain of a dot entry', 'example.org', true],
    ['H05 a subdomain of a dot entry', 'lrs.eu.example.org', true],
    ['H06 a name that only ends alike', 'badexample.org', false],
    ['H07 an address', '127.0.0.1:8080', true],
    ['H08 an IPv6 address', '[::1]:8080', true],
    ['H09 a rebinding name', 'attacker.example.net', false],
    ['H10 no Host', undefined, false],
  ];
  for (const [name, host, want] of cases) it(name, () => assert.equal(allowed(host), want));
});
