/**
 * Test-only loading of service files. src/booking reads no files and may not import `yaml`
 * (lint); the app loads data/services through its composition root. Tests may import anything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ServiceSchema, type Service, type ServiceInput } from '../../src/booking/index.js';

export const SERVICES_DIR = 'data/services';

export function serviceFiles(dir = SERVICES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Parses one file, or throws with the file name and every schema problem. */
export function loadServiceFile(file: string): Service {
  const parsed = ServiceSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

let bundled: { file: string; service: Service }[] | undefined;

/** Every file of data/services, parsed (cached per test file). */
export function bundledServices(): { file: string; service: Service }[] {
  bundled ??= serviceFiles().map((file) => ({ file, service: loadServiceFile(file) }));
  return bundled;
}

export function bundledService(id: string): Service {
  const found = bundledServices().find((s) => s.service.id === id);
  if (!found) {
    throw new Error(`no bundled service '${id}'`);
  }
  return found.service;
}

const DispositionFile = z.object({
  dispositions: z.array(
    z.object({
      code: z.string(),
      category: z.string(),
      service: z.string(),
      timeframe: z.string().optional(),
    }),
  ),
});

/** The codes, categories, service types and time frames of data/dispositions.yaml. */
export function dispositions(): z.infer<typeof DispositionFile>['dispositions'] {
  return DispositionFile.parse(parse(readFileSync('data/dispositions.yaml', 'utf8'))).dispositions;
}

export function timeframeOf(code: string): string | undefined {
  const found = dispositions().find((d) => d.code === code);
  if (!found) {
    throw new Error(`no disposition '${code}'`);
  }
  return found.timeframe;
}

const ALWAYS_CLOSED = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

/** A valid bookable service, closed every day unless the test gives it hours. */
export function aService(overrides: Partial<ServiceInput> = {}): Service {
  return ServiceSchema.parse({
    id: 'test-service',
    name: 'Test Service',
    type: 'gp',
    address: ['1 Test Street', 'Westmere'],
    postcode: 'WM1 1AA',
    phone: '01632 960999',
    openingHours: ALWAYS_CLOSED,
    bookable: true,
    slotMinutes: 15,
    capacityPerSlot: 1,
    accepts: ['GP_2H'],
    ...overrides,
  });
}

/** Opening hours with the same sessions on the given days and none on the others. */
export function hoursOn(
  days: (keyof typeof ALWAYS_CLOSED)[],
  sessions: { open: string; close: string }[],
): ServiceInput['openingHours'] {
  return { ...ALWAYS_CLOSED, ...Object.fromEntries(days.map((d) => [d, sessions])) };
}
