import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { reservePort } from './port-reservation.js';

describe('reservePort', () => {
  it('refuses a client that connects while the port is held, so release does not wait for it', async () => {
    const reservation = await reservePort('127.0.0.1', 0);
    // A client that connects and stays, as a readiness probe without a timeout does.
    const client = connect(reservation.port, '127.0.0.1');
    const ended = new Promise<string>((resolve) => {
      client.once('close', () => resolve('closed by the placeholder'));
      client.once('error', () => resolve('closed by the placeholder'));
    });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    const released = await Promise.race([
      reservation.release().then(() => 'released'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000).unref()),
    ]);
    client.destroy();
    assert.equal(released, 'released');
    assert.equal(await ended, 'closed by the placeholder');
  });

  it('fails with EADDRINUSE on a port that is taken', async () => {
    const first = await reservePort('127.0.0.1', 0);
    await assert.rejects(reservePort('127.0.0.1', first.port), /EADDRINUSE/);
    await first.release();
  });
});
