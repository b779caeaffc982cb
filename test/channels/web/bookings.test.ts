import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { loadServices } from '../../../src/load-services.js';
import { fixedClock } from '../../../src/shared/index.js';
import { buildTestApp, realBundle } from '../../helpers/app.js';

const MONDAY_10AM = '2026-11-23T10:00:00Z';

async function aBooking() {
  const built = buildTestApp({ clock: fixedClock(MONDAY_10AM) });
  const found = await built.booking.findSlots({
    disposition: 'GP_6H',
    timeframe: 'PT6H',
    now: new Date(MONDAY_10AM),
    limit: 1,
  });
  if (!found.ok || !found.slots[0]) {
    throw new Error('no slot found for the test');
  }
  const slot = found.slots[0];
  const held = await built.booking.hold({ serviceId: slot.serviceId, start: slot.start });
  if (!held.ok) {
    throw new Error('could not hold');
  }
  const confirmed = await built.booking.confirm(held.hold.id, {
    disposition: 'GP_6H',
    reasons: ['Test'],
    answers: [],
  });
  if (!confirmed.ok) {
    throw new Error('could not confirm');
  }
  return { built, booking: confirmed.booking, slot };
}

describe('bookings API', () => {
  test('when a booking is read by its reference, then it has the contract fields', async () => {
    const { built, booking, slot } = await aBooking();
    const res = await request(built.app).get(`/api/bookings/${booking.reference}`).expect(200);
    expect(res.body).toEqual({
      reference: booking.reference,
      service: {
        id: slot.serviceId,
        name: expect.any(String) as unknown,
        address: expect.stringMatching(/WM\d/) as unknown,
      },
      start: slot.start,
      end: slot.end,
      status: 'booked',
    });
  });

  test('when a booking is cancelled, then it says cancelled; a second cancel is 409', async () => {
    const { built, booking } = await aBooking();
    const first = await request(built.app)
      .post(`/api/bookings/${booking.reference}/cancel`)
      .expect(200);
    expect((first.body as { status: string }).status).toBe('cancelled');
    const again = await request(built.app)
      .post(`/api/bookings/${booking.reference}/cancel`)
      .expect(409);
    expect((again.body as { error: { code: string } }).error.code).toBe('conflict');
    const read = await request(built.app).get(`/api/bookings/${booking.reference}`).expect(200);
    expect((read.body as { status: string }).status).toBe('cancelled');
  });

  test('when a reference is unknown or malformed, then the answer is 404 with a reason', async () => {
    const { app } = buildTestApp();
    for (const reference of ['ABCDEFGH', 'no-such', '%20']) {
      const res = await request(app).get(`/api/bookings/${reference}`).expect(404);
      expect((res.body as { error: { message: string } }).error.message).toContain('reference');
    }
    await request(app).post('/api/bookings/ABCDEFGH/cancel').expect(404);
  });
});

describe('loadServices', () => {
  test('when the bundled directory is loaded, then every service is there and sound', () => {
    const { directory, errors } = loadServices('data/services', realBundle().scale.codes);
    expect(errors).toEqual([]);
    expect(directory?.all().length).toBeGreaterThanOrEqual(15);
  });

  test('when a service file is broken, then the error names the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'services-'));
    const text = readFileSync('data/services/westmere-utc.yaml', 'utf8').replace(
      /^slotMinutes: .*$/m,
      'slotMinutes: seven',
    );
    writeFileSync(join(dir, 'westmere-utc.yaml'), text);
    const { directory, errors } = loadServices(dir, realBundle().scale.codes);
    expect(directory).toBeUndefined();
    expect(errors[0]).toMatch(
      new RegExp(`^${join(dir, 'westmere-utc.yaml')}:\\d+: schema: slotMinutes`),
    );
  });
});
