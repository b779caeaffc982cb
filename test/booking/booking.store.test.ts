import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Redis } from 'ioredis';
import {
  bookingKeys,
  MemoryBookingStore,
  RedisBookingStore,
  type BookingStore,
} from '../../src/booking/index.js';
import { isAppError } from '../../src/shared/index.js';
import { describeWithRedis } from '../helpers/redis.js';
import { describeBookingStoreContract } from './booking.store.contract.js';

// Memory: one process, so "peers" are the same store.
describeBookingStoreContract('MemoryBookingStore', () => new MemoryBookingStore());

describeWithRedis('RedisBookingStore', (ctx) => {
  let stores = 0;
  const prefixes = new WeakMap<BookingStore, string>();
  // Other connections, so the race runs on several sockets at once, not one queue.
  const connections: Redis[] = [];
  beforeAll(() => {
    for (let i = 0; i < 4; i++) {
      connections.push(ctx().redis.duplicate());
    }
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  // A sub-prefix per store keeps tests apart; the helper deletes `<prefix>:*` afterwards.
  describeBookingStoreContract(
    'RedisBookingStore',
    () => {
      const prefix = `${ctx().prefix}:${++stores}`;
      const store = new RedisBookingStore(ctx().redis, { prefix });
      prefixes.set(store, prefix);
      return store;
    },
    {
      peersOf: (store) =>
        connections.map((c) => new RedisBookingStore(c, { prefix: prefixes.get(store) ?? '' })),
    },
  );
});

describe('booking keys', () => {
  test('when a booking is stored, then its slot keys share one hash tag and the reference key has none', () => {
    const keys = bookingKeys('111');
    const start = '2027-03-01T09:00:00+00:00';

    expect(keys.holds('harbour-surgery', start)).toBe(
      '111:book:{s:harbour-surgery:2027-03-01T09:00:00+00:00}:holds',
    );
    expect(keys.booked('harbour-surgery', start)).toBe(
      '111:book:{s:harbour-surgery:2027-03-01T09:00:00+00:00}:booked',
    );
    expect(keys.booking('harbour-surgery', start, 'ABCD3467')).toBe(
      '111:book:{s:harbour-surgery:2027-03-01T09:00:00+00:00}:booking:ABCD3467',
    );
    expect(keys.reference('ABCD3467')).toBe('111:book:ref:ABCD3467');
  });

  test.each([
    ['a prefix with a brace', () => bookingKeys('1{1}')],
    ['a service id with a brace', () => bookingKeys('111').holds('a}b', '2027-03-01T09:00:00Z')],
    ['a start that is not ISO', () => bookingKeys('111').booked('a', '09:00 {x}')],
    ['a malformed reference', () => bookingKeys('111').reference('ab:*')],
  ])('when given %s, then building the key throws an AppError', (_, build) => {
    expect(build).toThrow();
    try {
      build();
    } catch (error) {
      expect(isAppError(error)).toBe(true);
    }
  });
});
