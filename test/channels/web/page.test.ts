import { createRequire } from 'node:module';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BuiltApp } from '../../../src/app.js';
import { buildTestApp, HEADACHE_SELF_CARE } from '../../helpers/app.js';
import { describeWithBrowser, launchBrowser, serve, type Served } from '../../helpers/browser.js';

/**
 * The patient chat page in a real browser against the real app: keyboard use end to end, the
 * emergency panel, axe-core's WCAG 2.2 AA rules, reflow at 320 px and 200% zoom, and what the
 * page says when the service cannot be reached.
 *
 * Code passed to page.evaluate is a string: it runs in the page, and this project's TypeScript
 * has no DOM types.
 */

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_RUN = `axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
}).then((r) => r.violations.map((v) => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  nodes: v.nodes.map((n) => n.target.join(' ') + ' | ' + n.failureSummary),
})))`;

interface Focused {
  tag: string;
  id: string;
  text: string;
}
const FOCUSED = `(() => {
  const a = document.activeElement;
  return { tag: a ? a.tagName : '', id: a ? a.id : '', text: a ? a.textContent.trim() : '' };
})()`;

describeWithBrowser('web chat page in a browser', () => {
  let browser: Browser | undefined;
  let built: BuiltApp | undefined;
  let served: Served | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    built = buildTestApp();
    served = await serve(built.app);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await built?.close();
  });

  /** A fresh context and page at the chat, once the first turn (welcome and consent) is shown. */
  async function openChat(
    baseUrl: string,
    options: BrowserContextOptions = {},
    beforeLoad: (page: Page) => unknown = () => undefined,
  ): Promise<{ context: BrowserContext; page: Page }> {
    if (!browser) {
      throw new Error('the browser did not start');
    }
    const context = await browser.newContext({
      viewport: { width: 1024, height: 800 },
      ...options,
    });
    const page = await context.newPage();
    await beforeLoad(page);
    await page.goto(`${baseUrl}/`);
    await waitForTurn(page, 0);
    return { context, page };
  }

  async function turns(page: Page): Promise<number> {
    return Number((await page.locator('#chat-log').getAttribute('data-turns')) ?? '0');
  }

  /** Waits until the page has rendered the turn after `before`. */
  async function waitForTurn(page: Page, before: number): Promise<void> {
    await page.locator(`#chat-log[data-turns="${before + 1}"]`).waitFor({ state: 'attached' });
    await page.locator('#chat-log[aria-busy="false"]').waitFor({ state: 'attached' });
  }

  async function focused(page: Page): Promise<Focused> {
    return page.evaluate<Focused>(FOCUSED);
  }

  /** Presses Tab (and nothing else) until focus is where `wanted` says; fails after 40 presses. */
  async function tabTo(page: Page, wanted: (f: Focused) => boolean, what: string): Promise<void> {
    for (let i = 0; i < 40; i += 1) {
      if (wanted(await focused(page))) {
        return;
      }
      await page.keyboard.press('Tab');
    }
    throw new Error(
      `Tab never reached ${what}; focus is on ${JSON.stringify(await focused(page))}`,
    );
  }

  async function axeViolations(page: Page): Promise<unknown[]> {
    return page.evaluate<unknown[]>(AXE_RUN);
  }

  function baseUrl(): string {
    if (!served) {
      throw new Error('the server did not start');
    }
    return served.baseUrl;
  }

  /** Sends typed text the quick way (tests other than the keyboard one) and waits for the reply. */
  async function typeMessage(page: Page, text: string): Promise<void> {
    const before = await turns(page);
    await page.locator('#chat-input').fill(text);
    await page.locator('#chat-input').press('Enter');
    await waitForTurn(page, before);
  }

  test('when a patient uses only the keyboard, then they can reach the self-care outcome and start again', async () => {
    const offSite: string[] = [];
    const pageErrors: string[] = [];
    const { context, page } = await openChat(baseUrl(), {}, (p) => {
      p.on('request', (r) => {
        if (!r.url().startsWith(baseUrl())) {
          offSite.push(r.url());
        }
      });
      p.on('console', (m) => {
        if (m.type() === 'error') {
          pageErrors.push(m.text());
        }
      });
      p.on('pageerror', (e) => pageErrors.push(e.message));
      p.on('response', (r) => {
        if (r.status() >= 400) {
          pageErrors.push(`${r.status()} ${r.url()}`);
        }
      });
    });
    try {
      // Loading the page does not move focus: the patient starts reading at the top.
      expect((await focused(page)).tag).toBe('BODY');

      for (const answer of HEADACHE_SELF_CARE) {
        const before = await turns(page);
        const labels = await page.locator('#chat-options button').allTextContents();
        const label = labels.map((l) => l.trim()).find((l) => l.toLowerCase() === answer);
        if (label !== undefined) {
          await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === label, `the "${label}" button`);
          await page.keyboard.press('Enter');
        } else {
          await tabTo(page, (f) => f.id === 'chat-input', 'the message box');
          await page.keyboard.type(answer);
          await page.keyboard.press('Enter');
        }
        await waitForTurn(page, before);

        // After each reply focus is put on the next thing to do: the first answer, else the box.
        if (await page.locator('#chat-restart').isVisible()) {
          break;
        }
        const now = await focused(page);
        const options = page.locator('#chat-options button');
        if ((await options.count()) > 0) {
          expect(now).toMatchObject({
            tag: 'BUTTON',
            text: (await options.first().textContent())?.trim(),
          });
        } else {
          expect(now.id).toBe('chat-input');
        }
      }

      const outcome = page.locator('.nhsuk-card--care').last();
      await expect.poll(() => outcome.textContent()).toContain('Look after yourself at home');
      expect(await outcome.textContent()).toContain('You answered no to each of the');
      expect(await page.locator('#chat-log').textContent()).toContain('What you can do now:');
      // Focus moved to the outcome's heading, so reading starts at the result.
      expect((await focused(page)).text).toContain('Look after yourself at home');

      await tabTo(page, (f) => f.id === 'chat-restart-button', 'the "Start again" button');
      const before = await turns(page);
      await page.keyboard.press('Enter');
      await waitForTurn(page, before);
      expect(await page.locator('#chat-log').textContent()).toContain('Can we keep a record');
      expect((await focused(page)).text).toBe('Yes');

      expect(offSite, 'every request stays on this service (no CDN, no web fonts)').toEqual([]);
      expect(pageErrors, 'no script errors or Content-Security-Policy violations').toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('when an emergency is typed in free text, then a red "Call 999 now" alert with a heading is shown', async () => {
    const { context, page } = await openChat(baseUrl());
    try {
      await typeMessage(page, 'my dad is not breathing');

      const alert = page.getByRole('alert').filter({ hasText: 'Call 999 now' });
      await expect.poll(() => alert.count()).toBe(1);
      expect(await alert.getAttribute('class')).toContain('nhsuk-card--care--emergency');
      const heading = alert.getByRole('heading', {
        name: 'Immediate action required: Call 999 now',
      });
      expect(await heading.isVisible()).toBe(true);
      expect(await alert.locator('li').allTextContents()).toEqual([
        'You told us about: not breathing or cardiac arrest.',
      ]);
      expect(await alert.textContent()).toContain('start chest compressions now');
      // The conversation carries on: the patient can still type.
      expect(await page.locator('#chat-input').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('when axe-core checks the start, a question with answers, an emergency and an outcome, then there are no WCAG 2.2 AA violations', async () => {
    // page.addScriptTag would insert an inline <script>, which the page's own CSP (rightly)
    // blocks; an init script is injected by the browser itself, so the CSP stays on for the audit.
    const { context, page } = await openChat(baseUrl(), {}, (p) =>
      p.addInitScript({ path: AXE_PATH }),
    );
    try {
      const start = await axeViolations(page);
      expect(start, `start state:\n${JSON.stringify(start, null, 2)}`).toEqual([]);

      const before = await turns(page);
      await page.locator('#chat-options button', { hasText: 'Yes' }).click();
      await waitForTurn(page, before);
      expect(await page.locator('#chat-options button').allTextContents()).toEqual([
        'Me',
        'Someone else',
      ]);
      const question = await axeViolations(page);
      expect(question, `question state:\n${JSON.stringify(question, null, 2)}`).toEqual([]);

      await typeMessage(page, 'my dad is not breathing');
      await page.locator('.nhsuk-card--care--emergency').waitFor();
      const emergency = await axeViolations(page);
      expect(emergency, `emergency state:\n${JSON.stringify(emergency, null, 2)}`).toEqual([]);

      // A new conversation (reloading starts one) walked quickly to the self-care outcome.
      await page.reload();
      await waitForTurn(page, 0);
      for (const answer of HEADACHE_SELF_CARE) {
        await typeMessage(page, answer);
      }
      await page.locator('#chat-restart-button').waitFor();
      const outcome = await axeViolations(page);
      expect(outcome, `outcome state:\n${JSON.stringify(outcome, null, 2)}`).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('when the page is 320 px wide or zoomed to 200%, then nothing scrolls sideways', async () => {
    const NO_SIDEWAYS = `(() => {
      window.scrollTo(10000, window.scrollY);
      const d = document.documentElement;
      return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, scrollX: window.scrollX };
    })()`;
    interface Sideways {
      scrollWidth: number;
      clientWidth: number;
      scrollX: number;
    }

    const narrow = await openChat(baseUrl(), { viewport: { width: 320, height: 640 } });
    try {
      const before = await turns(narrow.page);
      await narrow.page.locator('#chat-options button', { hasText: 'Yes' }).click();
      await waitForTurn(narrow.page, before);
      const at320 = await narrow.page.evaluate<Sideways>(NO_SIDEWAYS);
      expect(at320.scrollWidth).toBeLessThanOrEqual(320);
      expect(at320.scrollX).toBe(0);
    } finally {
      await narrow.context.close();
    }

    // 200% zoom of a 1280 px window: 640 CSS px at 2 device pixels each, then CSS zoom on top
    // for good measure (the page itself may not set styles, but the test may).
    const zoomed = await openChat(baseUrl(), {
      viewport: { width: 640, height: 800 },
      deviceScaleFactor: 2,
    });
    try {
      const before = await turns(zoomed.page);
      await zoomed.page.locator('#chat-options button', { hasText: 'Yes' }).click();
      await waitForTurn(zoomed.page, before);
      await zoomed.page.evaluate("document.body.style.zoom = '2'");
      const at200 = await zoomed.page.evaluate<Sideways>(NO_SIDEWAYS);
      expect(at200.scrollWidth).toBeLessThanOrEqual(at200.clientWidth);
      expect(at200.scrollX).toBe(0);
    } finally {
      await zoomed.context.close();
    }
  });

  test('when the service cannot be reached, then the page says so and tells the patient to call 111 or 999', async () => {
    // Its own app and server, so stopping it does not affect the other tests.
    const ownApp = buildTestApp();
    const own = await serve(ownApp.app);
    const { context, page } = await openChat(own.baseUrl);
    try {
      await own.close();
      await page.locator('#chat-input').fill('I have a headache');
      await page.locator('#chat-input').press('Enter');

      const problem = page.locator('#chat-problem');
      await problem.getByText('could not reach the service').waitFor();
      expect(await problem.textContent()).toMatch(
        /We could not reach the service\. If you need help now, call 111, or 999 in an emergency\./,
      );
      expect(await problem.getAttribute('role')).toBe('alert');
      // What they typed is kept, ready to send again, and no "sent" bubble pretends otherwise.
      expect(await page.locator('#chat-input').inputValue()).toBe('I have a headache');
      expect(await page.locator('.chat-message--patient').count()).toBe(0);
    } finally {
      await context.close();
      await own.close();
      await ownApp.close();
    }
  });
});
