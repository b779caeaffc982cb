import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkServiceFileName,
  ServiceDirectory,
  ServiceSchema,
  type Service,
} from './booking/index.js';
import { formatPathwayError, loadYamlFile } from './triage/index.js';

/**
 * Reads the directory of services (data/services/*.yaml) for the composition root: the YAML
 * loader lives in triage and booking reads no files, so the two meet here. Every problem comes
 * back as one line with file and line, and no directory is built when there is any.
 */
export function loadServices(
  dir: string,
  knownCodes: readonly string[],
): { directory?: ServiceDirectory; errors: string[] } {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(dir, f));
  } catch (cause) {
    return {
      errors: [
        `${dir}:1: folder-unreadable: ${cause instanceof Error ? cause.message : String(cause)} (check SERVICES_DIR)`,
      ],
    };
  }
  const errors: string[] = [];
  const services: Service[] = [];
  for (const file of files) {
    const loaded = loadYamlFile(file, ServiceSchema);
    if (!loaded.ok) {
      errors.push(
        ...loaded.errors.map((e) =>
          formatPathwayError({
            ...e,
            fix: e.fix.replace('docs/pathway-authoring.md', 'src/booking/service.schema.ts'),
          }),
        ),
      );
      continue;
    }
    const misnamed = checkServiceFileName(file, loaded.value);
    if (misnamed) {
      errors.push(`${file}:1: ${misnamed.rule}: ${misnamed.message} (${misnamed.fix})`);
    }
    services.push(loaded.value);
  }
  const directory = new ServiceDirectory(services);
  for (const p of directory.check(knownCodes)) {
    errors.push(
      `${join(dir, `${p.serviceId}.yaml`)}:1: ${p.rule}: ${p.field}: ${p.message} (${p.fix})`,
    );
  }
  return errors.length > 0 ? { errors } : { directory, errors };
}
