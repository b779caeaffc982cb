import type { Redis, Result } from 'ioredis';
import { z } from 'zod';
import { AppError } from '../shared/index.js';
import type { BookingStore, StoreConfirmOutcome } from './booking.store.js';
import { HOLD_RECORD_GRACE_MS } from './booking.store.memory.js';
import { bookingKeys, type BookingKeys } from './keys.js';
import {
  BookingSchema,
  HoldSchema,
  type Booking,
  type CancelResult,
  type Hold,
  type SlotRef,
} from './types.js';

/**
 * The booking store on Redis (ioredis). One Lua script per atomic step; each script touches only
 * the keys of one slot (one hash tag), so it also runs on a Redis Cluster:
 *
 * - hold: drop lapsed holds, check holds + bookings < capacity, add the hold;
 * - confirm: the hold must still be live; remove it and add the booking in the same step;
 * - cancel: only a booked booking becomes cancelled, and its place is freed in the same step.
 *
 * Hold expiry uses the service's clock (`now` is an argument), not Redis's, so every instance
 * and every test agrees with the memory store. Key TTLs only collect garbage.
 */

const HOLD_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local used = redis.call('ZCARD', KEYS[1]) + redis.call('SCARD', KEYS[2])
if used >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[5]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
return 1
`;

const CONFIRM_SCRIPT = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not score then
  if tonumber(ARGV[3]) <= tonumber(ARGV[1]) then
    return -1
  end
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[2])
if tonumber(score) <= tonumber(ARGV[1]) then
  return -1
end
redis.call('SADD', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[3], 'data', ARGV[5], 'status', 'booked')
return 1
`;

const CANCEL_SCRIPT = `
local status = redis.call('HGET', KEYS[2], 'status')
if not status then
  return 0
end
if status == 'cancelled' then
  return -1
end
redis.call('HSET', KEYS[2], 'status', 'cancelled', 'cancelledAt', ARGV[2])
redis.call('SREM', KEYS[1], ARGV[1])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    bookingHold(
      holdsKey: string,
      bookedKey: string,
      nowMs: number,
      capacity: number,
      holdId: string,
      expiresAtMs: number,
      gcTtlMs: number,
    ): Result<number, Context>;
    bookingConfirm(
      holdsKey: string,
      bookedKey: string,
      bookingKey: string,
      nowMs: number,
      holdId: string,
      holdExpiresAtMs: number,
      reference: string,
      json: string,
    ): Result<number, Context>;
    bookingCancel(
      bookedKey: string,
      bookingKey: string,
      reference: string,
      cancelledAt: string,
    ): Result<number, Context>;
  }
}

const SlotPointer = z.object({ serviceId: z.string(), start: z.string() });

type ExecResult = [error: Error | null, result: unknown][] | null;

export class RedisBookingStore implements BookingStore {
  private readonly redis: Redis;
  private readonly keys: BookingKeys;

  constructor(redis: Redis, options: { prefix?: string } = {}) {
    this.redis = redis;
    this.keys = bookingKeys(options.prefix ?? '111');
    // defineCommand is idempotent for the same script; ioredis caches it by SHA (EVALSHA).
    redis.defineCommand('bookingHold', { numberOfKeys: 2, lua: HOLD_SCRIPT });
    redis.defineCommand('bookingConfirm', { numberOfKeys: 3, lua: CONFIRM_SCRIPT });
    redis.defineCommand('bookingCancel', { numberOfKeys: 2, lua: CANCEL_SCRIPT });
  }

  async count(slot: SlotRef, now: Date): Promise<number> {
    const [used = 0] = await this.countMany([slot], now);
    return used;
  }

  async countMany(slots: readonly SlotRef[], now: Date): Promise<number[]> {
    if (slots.length === 0) {
      return [];
    }
    const pipeline = this.redis.pipeline();
    for (const slot of slots) {
      pipeline
        .zcount(this.keys.holds(slot.serviceId, slot.start), `(${now.getTime()}`, '+inf')
        .scard(this.keys.booked(slot.serviceId, slot.start));
    }
    const replies = checked(await pipeline.exec());
    return slots.map((_, i) => Number(replies[2 * i]) + Number(replies[2 * i + 1]));
  }

  async tryHold(hold: Hold, capacity: number, now: Date): Promise<boolean> {
    const expiresAtMs = Date.parse(hold.expiresAt);
    const gcTtlMs = Math.max(expiresAtMs - now.getTime(), 0) + HOLD_RECORD_GRACE_MS;
    const added = await this.redis.bookingHold(
      this.keys.holds(hold.serviceId, hold.start),
      this.keys.booked(hold.serviceId, hold.start),
      now.getTime(),
      capacity,
      hold.id,
      expiresAtMs,
      gcTtlMs,
    );
    if (added !== 1) {
      return false;
    }
    // Written after the hold so only holds that count can be confirmed; it expires on its own.
    await this.redis.set(this.keys.hold(hold.id), JSON.stringify(hold), 'PX', gcTtlMs);
    return true;
  }

  async getHold(holdId: string): Promise<Hold | undefined> {
    const json = await this.redis.get(this.keys.hold(holdId));
    if (json === null) {
      return undefined;
    }
    const parsed = HoldSchema.safeParse(parseJson(json));
    return parsed.success ? parsed.data : undefined;
  }

  async confirm(hold: Hold, booking: Booking, now: Date): Promise<StoreConfirmOutcome> {
    const refKey = this.keys.reference(booking.reference);
    const pointer = JSON.stringify({ serviceId: hold.serviceId, start: hold.start });
    // The pointer is written first (NX), so two bookings can never share a reference.
    if ((await this.redis.set(refKey, pointer, 'NX')) !== 'OK') {
      return 'reference-taken';
    }
    let outcome: number;
    try {
      outcome = await this.redis.bookingConfirm(
        this.keys.holds(hold.serviceId, hold.start),
        this.keys.booked(hold.serviceId, hold.start),
        this.keys.booking(hold.serviceId, hold.start, booking.reference),
        now.getTime(),
        hold.id,
        Date.parse(hold.expiresAt),
        booking.reference,
        JSON.stringify(booking),
      );
    } catch (error) {
      await this.redis.del(refKey).catch(() => 0);
      throw error;
    }
    if (outcome !== 1) {
      await this.redis.del(refKey);
      return outcome === -1 ? 'hold-expired' : 'hold-unknown';
    }
    await this.redis.del(this.keys.hold(hold.id));
    return 'ok';
  }

  async get(reference: string): Promise<Booking | undefined> {
    const slot = await this.slotOf(reference);
    if (!slot) {
      return undefined;
    }
    const [data, status, cancelledAt] = await this.redis.hmget(
      this.keys.booking(slot.serviceId, slot.start, reference),
      'data',
      'status',
      'cancelledAt',
    );
    if (data === null || data === undefined) {
      return undefined;
    }
    const record: unknown = {
      ...(parseJson(data) as object),
      status,
      ...(cancelledAt ? { cancelledAt } : {}),
    };
    const parsed = BookingSchema.safeParse(record);
    if (!parsed.success) {
      throw new AppError('internal', `stored booking ${reference} is not valid`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  async cancel(reference: string, now: Date): Promise<CancelResult> {
    const slot = await this.slotOf(reference);
    if (!slot) {
      return { ok: false, reason: 'not-found' };
    }
    const outcome = await this.redis.bookingCancel(
      this.keys.booked(slot.serviceId, slot.start),
      this.keys.booking(slot.serviceId, slot.start, reference),
      reference,
      now.toISOString(),
    );
    if (outcome === 0) {
      return { ok: false, reason: 'not-found' };
    }
    if (outcome === -1) {
      return { ok: false, reason: 'already-cancelled' };
    }
    // Cancelled is final, so reading after the script gives the state it left.
    const booking = await this.get(reference);
    if (!booking) {
      throw new AppError('internal', `booking ${reference} vanished while being cancelled`);
    }
    return { ok: true, booking };
  }

  private async slotOf(reference: string): Promise<SlotRef | undefined> {
    const json = await this.redis.get(this.keys.reference(reference));
    if (json === null) {
      return undefined;
    }
    const parsed = SlotPointer.safeParse(parseJson(json));
    return parsed.success ? parsed.data : undefined;
  }
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** The replies of a pipeline, or the first error in it. */
function checked(result: ExecResult): unknown[] {
  if (result === null) {
    throw new AppError('internal', 'Redis pipeline was aborted');
  }
  const failed = result.find(([error]) => error !== null);
  if (failed?.[0]) {
    throw new AppError('internal', 'Redis pipeline failed', { cause: failed[0] });
  }
  return result.map(([, reply]) => reply);
}
