import { DateTime, Duration } from 'luxon';
import { AppError } from '../shared/index.js';
import { WEEKDAYS, type Service, type Session } from './service.schema.js';

/**
 * Slot search (pure): slots come from each service's opening hours and exceptions, in the
 * service's time zone, with luxon doing the zone arithmetic.
 *
 * Rules:
 * - A session opens at its local wall-clock time on the day it is listed under and closes at
 *   its local close time (the next day for an overnight session). So a 09:00 session opens at
 *   09:00 local on both sides of a clock change.
 * - Within a session, slots follow each other in real (elapsed) time from the opening: every
 *   slot lasts exactly slotMinutes. A session that runs through a clock change therefore has one
 *   hour fewer of slots in March (the wall clock jumps 01:00 -> 02:00, so no slot is labelled
 *   01:xx) and one hour more in October (the 01:xx slots occur twice, once at +01:00 and once at
 *   +00:00, and are distinct instants). No slot is duplicated, none overlaps, none is missing.
 * - A local time that does not exist (in the March gap) moves forward by the gap, and one that
 *   occurs twice (October) is read as the later, standard-time occurrence: luxon's rules.
 * - Overlapping sessions (e.g. a Friday overnight session running into an all-day Saturday)
 *   never give overlapping slots: the slot of the session that opened first wins.
 * - Time frames are elapsed time (P1D = 24 hours), as clinical time frames are counted in hours
 *   and a clock change must not stretch or shrink them. A slot is inside the time frame when it
 *   starts in [now, now + timeframe].
 */

export interface Slot {
  serviceId: string;
  /** ISO 8601 with the service's UTC offset, e.g. 2027-03-29T09:00:00+01:00. */
  start: string;
  end: string;
  /** Places left in the slot (capacityPerSlot minus those booked); always at least 1. */
  remaining: number;
}

/** How many patients are booked into a slot; slotStart is exactly the `start` of the Slot. */
export type BookedCount = (serviceId: string, slotStart: string) => number;

export interface SlotQuery {
  /** Disposition code, e.g. GP_2H; only services whose `accepts` lists it are searched. */
  disposition: string;
  /** ISO 8601 duration of the disposition (PT2H, P1D). Missing or PT0S = not bookable. */
  timeframe: string | undefined;
  now: Date;
  /** Most slots to return, earliest first (default 5). */
  limit?: number;
  /** Bookings per slot; a slot whose count reaches capacityPerSlot is not offered. */
  booked?: BookedCount;
  /** How far past the time frame to look for `earliestBeyond` (default 14 days). */
  lookAheadDays?: number;
}

export type SlotSearchResult =
  | { ok: true; slots: Slot[]; deadline: string }
  | {
      ok: false;
      /** No free slot starts inside the time frame: escalate rather than book late. */
      reason: 'none-in-timeframe';
      deadline: string;
      /** The first free slot after the deadline, if any in the look-ahead (for a clinician). */
      earliestBeyond?: Slot;
    }
  | {
      ok: false;
      /** The disposition has no time frame to book into (PT0S: call 999; none: routine). */
      reason: 'not-bookable';
    };

const MINUTE = 60_000;
const DAY = 86_400_000;
const DEFAULT_LIMIT = 5;
const DEFAULT_LOOK_AHEAD_DAYS = 14;

interface TimedSlot {
  startMs: number;
  endMs: number;
  start: string;
  end: string;
}

/** Finds the earliest free slots for a disposition at bookable services that accept it. */
export function findSlots(services: readonly Service[], query: SlotQuery): SlotSearchResult {
  const timeframeMs = timeframeMillis(query.timeframe);
  if (timeframeMs === undefined) {
    return { ok: false, reason: 'not-bookable' };
  }
  const nowMs = query.now.getTime();
  if (Number.isNaN(nowMs)) {
    throw new AppError('invalid-input', 'findSlots: now is not a valid date');
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new AppError('invalid-input', `findSlots: limit must be a whole number >= 1`);
  }
  const booked = query.booked ?? (() => 0);
  const deadlineMs = nowMs + timeframeMs;
  const deadline = isoUtc(deadlineMs);
  const candidates = services.filter((s) => s.bookable && s.accepts.includes(query.disposition));

  const inside: Slot[] = [];
  for (const service of candidates) {
    inside.push(...freeSlots(service, nowMs, deadlineMs, booked, limit));
  }
  if (inside.length > 0) {
    return { ok: true, slots: inside.sort(bySlotOrder).slice(0, limit), deadline };
  }

  const horizonMs = deadlineMs + (query.lookAheadDays ?? DEFAULT_LOOK_AHEAD_DAYS) * DAY;
  const beyond: Slot[] = [];
  for (const service of candidates) {
    beyond.push(...freeSlots(service, deadlineMs + 1, horizonMs, booked, 1));
  }
  const earliestBeyond = beyond.sort(bySlotOrder)[0];
  return earliestBeyond
    ? { ok: false, reason: 'none-in-timeframe', deadline, earliestBeyond }
    : { ok: false, reason: 'none-in-timeframe', deadline };
}

/** Whether a service has a session running at this instant (for signposting: "open now"). */
export function isOpenAt(service: Service, at: Date): boolean {
  const t = at.getTime();
  return sessionsAround(service, t - DAY, t).some((s) => s.startMs <= t && t < s.endMs);
}

/**
 * Every slot of a service (free or not) that starts in [fromMs, toMs], in order. Internal to
 * booking; exported for the tests of the clock-change rules.
 */
export function slotsBetween(service: Service, fromMs: number, toMs: number): TimedSlot[] {
  const minutes = service.slotMinutes;
  if (minutes === undefined || toMs < fromMs) {
    return [];
  }
  const lengthMs = minutes * MINUTE;
  const all: TimedSlot[] = [];
  for (const session of sessionsAround(service, fromMs, toMs)) {
    for (let s = session.startMs; s + lengthMs <= session.endMs && s <= toMs; s += lengthMs) {
      all.push({ startMs: s, endMs: s + lengthMs, start: '', end: '' });
    }
  }
  all.sort((a, b) => a.startMs - b.startMs);
  const kept: TimedSlot[] = [];
  let freeFrom = -Infinity;
  for (const slot of all) {
    if (slot.startMs >= freeFrom) {
      freeFrom = slot.endMs;
      if (slot.startMs >= fromMs) {
        slot.start = isoIn(slot.startMs, service.timeZone);
        slot.end = isoIn(slot.endMs, service.timeZone);
        kept.push(slot);
      }
    }
  }
  return kept;
}

function freeSlots(
  service: Service,
  fromMs: number,
  toMs: number,
  booked: BookedCount,
  limit: number,
): Slot[] {
  const capacity = service.capacityPerSlot ?? 0;
  const free: Slot[] = [];
  for (const slot of slotsBetween(service, fromMs, toMs)) {
    const remaining = capacity - booked(service.id, slot.start);
    if (remaining > 0) {
      free.push({ serviceId: service.id, start: slot.start, end: slot.end, remaining });
      if (free.length >= limit) {
        break;
      }
    }
  }
  return free;
}

interface TimedSession {
  startMs: number;
  endMs: number;
}

/**
 * Sessions that could be running between fromMs and toMs: those opening on the local dates
 * from two days before fromMs (an overnight session and anything it overlaps) up to toMs.
 */
function sessionsAround(service: Service, fromMs: number, toMs: number): TimedSession[] {
  const zone = service.timeZone;
  const exceptions = new Map(service.exceptions.map((e) => [e.date, e]));
  const first = DateTime.fromMillis(fromMs, { zone }).startOf('day').minus({ days: 2 });
  const last = DateTime.fromMillis(toMs, { zone }).startOf('day');
  // Walk calendar dates in UTC, where every day has 24 hours; each date is then read in the zone.
  let date = DateTime.utc(first.year, first.month, first.day);
  const end = DateTime.utc(last.year, last.month, last.day);
  const sessions: TimedSession[] = [];
  while (date <= end) {
    const exception = exceptions.get(date.toISODate() ?? '');
    const weekday = WEEKDAYS[date.weekday - 1] ?? 'mon';
    const hours: readonly Session[] = exception
      ? 'closed' in exception
        ? []
        : exception.hours
      : service.openingHours[weekday];
    for (const session of hours) {
      const startMs = localMillis(date, session.open, zone);
      const endMs = localMillis(closingDate(date, session), closingTime(session), zone);
      if (endMs > startMs) {
        sessions.push({ startMs, endMs });
      }
    }
    date = date.plus({ days: 1 });
  }
  return sessions;
}

/** The local date a session closes on: the next day for 24:00 and for overnight sessions. */
function closingDate(date: DateTime, session: Session): DateTime {
  return session.close === '24:00' || session.close <= session.open ? date.plus({ days: 1 }) : date;
}

function closingTime(session: Session): string {
  return session.close === '24:00' ? '00:00' : session.close;
}

/** The instant of a local wall-clock time on a calendar date (given as a UTC date) in a zone. */
function localMillis(date: DateTime, hhmm: string, zone: string): number {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour, minute },
    { zone },
  ).toMillis();
}

function timeframeMillis(timeframe: string | undefined): number | undefined {
  if (timeframe === undefined) {
    return undefined;
  }
  const duration = Duration.fromISO(timeframe);
  if (!duration.isValid) {
    throw new AppError('invalid-input', `findSlots: '${timeframe}' is not an ISO 8601 duration`);
  }
  const ms = duration.as('milliseconds');
  return ms > 0 ? ms : undefined;
}

function isoIn(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
}

function isoUtc(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) ?? '';
}

function bySlotOrder(a: Slot, b: Slot): number {
  return Date.parse(a.start) - Date.parse(b.start) || a.serviceId.localeCompare(b.serviceId);
}
