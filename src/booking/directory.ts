import type { Service, ServiceType } from './service.schema.js';
import { findSlots, type SlotQuery, type SlotSearchResult } from './slots.js';

/** A problem found across service files; the loader reports it with the service's file. */
export interface DirectoryProblem {
  serviceId: string;
  /** The field at fault, as a path: `id`, `accepts[2]`. */
  field: string;
  rule: 'duplicate-id' | 'unknown-disposition' | 'file-name';
  message: string;
  fix: string;
}

/** The services of one area, parsed and validated one by one (ServiceSchema). */
export class ServiceDirectory {
  private readonly services: readonly Service[];
  private readonly index = new Map<string, Service>();

  constructor(services: readonly Service[]) {
    this.services = [...services];
    for (const service of this.services) {
      // With duplicate ids the first wins; check() reports the others.
      if (!this.index.has(service.id)) {
        this.index.set(service.id, service);
      }
    }
  }

  all(): readonly Service[] {
    return this.services;
  }

  byId(id: string): Service | undefined {
    return this.index.get(id);
  }

  /** Services that accept a disposition code, bookable or not, in directory order. */
  accepting(code: string): Service[] {
    return this.services.filter((s) => s.accepts.includes(code));
  }

  ofType(type: ServiceType): Service[] {
    return this.services.filter((s) => s.type === type);
  }

  /** The earliest free slots for a disposition across this directory (see findSlots). */
  findSlots(query: SlotQuery): SlotSearchResult {
    return findSlots(this.services, query);
  }

  /**
   * Checks that need more than one file: ids are unique, and every `accepts` code is a known
   * disposition (pass the codes of data/dispositions.yaml).
   */
  check(knownCodes: Iterable<string>): DirectoryProblem[] {
    const known = new Set(knownCodes);
    const problems: DirectoryProblem[] = [];
    const seen = new Set<string>();
    for (const service of this.services) {
      if (seen.has(service.id)) {
        problems.push({
          serviceId: service.id,
          field: 'id',
          rule: 'duplicate-id',
          message: `two services have the id '${service.id}'`,
          fix: 'give each service its own id (and file name)',
        });
      }
      seen.add(service.id);
      service.accepts.forEach((code, i) => {
        if (!known.has(code)) {
          problems.push({
            serviceId: service.id,
            field: `accepts[${i}]`,
            rule: 'unknown-disposition',
            message: `'${code}' is not a disposition code`,
            fix: `use a code of data/dispositions.yaml${nearest(code, known)}`,
          });
        }
      });
    }
    return problems;
  }
}

/** A service file's name must be its id: data/services/<id>.yaml. */
export function checkServiceFileName(file: string, service: Service): DirectoryProblem | undefined {
  const name = (file.split(/[\\/]/).pop() ?? file).replace(/\.ya?ml$/, '');
  if (name === service.id) {
    return undefined;
  }
  return {
    serviceId: service.id,
    field: 'id',
    rule: 'file-name',
    message: `the file is named '${name}' but the id is '${service.id}'`,
    fix: `rename the file to ${service.id}.yaml, or change the id to '${name}'`,
  };
}

/** ", e.g. GP_2H" when a known code is close to the unknown one (a typo), else "". */
function nearest(code: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(code, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
