import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { chromium, type Browser } from 'playwright-core';
import { describe, test } from 'vitest';

/**
 * Browser tests drive the real page in Debian's Chromium (`apt-get install chromium`; CI
 * installs it). Without it they fail loudly under CI=true, and are skipped with a clear message
 * elsewhere, like the Redis tests (helpers/redis.ts). CHROMIUM_PATH points at another build.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = process.env.CI === 'true';

export function describeWithBrowser(name: string, body: () => void): void {
  if (!existsSync(CHROMIUM_PATH)) {
    if (inCi) {
      describe(name, () => {
        test('needs Chromium', () => {
          throw new Error(
            `Chromium is not at ${CHROMIUM_PATH}, but CI must run the browser tests: apt-get install -y chromium`,
          );
        });
      });
    } else {
      describe.skip(
        `${name} (skipped: apt-get install -y chromium, or set CHROMIUM_PATH, to run in a real browser)`,
        body,
      );
    }
    return;
  }
  describe(name, body);
}

/** Headless Chromium with nothing in the background that reaches the network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Served {
  server: Server;
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  baseUrl: string;
  /** Stops the server at once, dropping kept-alive browser connections too. */
  close(): Promise<void>;
}

/** Serves the app on a random loopback port. */
export async function serve(app: Express): Promise<Served> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error) {
        reject(error);
      } else {
        resolve(s);
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
