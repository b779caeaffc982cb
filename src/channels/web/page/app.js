// The patient chat page: plain ES2020 in one file, no build step and no framework, so what is
// served is what is reviewed. It talks to the web chat API (docs: shared/api-contract.md) and
// renders each Reply by kind. Server text is only ever set with textContent, never as HTML.
'use strict';

(function () {
  const API = '/api/conversations';
  const UNREACHABLE =
    'We could not reach the service. If you need help now, call 111, or 999 in an emergency.';
  const SERVER_FAULT =
    'Something went wrong on our side. If you need help now, call 111, or 999 in an emergency.';
  const EXPIRED =
    'This conversation has ended or expired. Start again to begin a new one. ' +
    'If you need help now, call 111, or 999 in an emergency.';
  // A patient waiting on a dead connection must be told, not left looking at a spinner.
  const TIMEOUT_MS = 20000;

  const byId = (id) => document.getElementById(id);
  const el = {
    log: byId('chat-log'),
    announcer: byId('chat-announcer'),
    status: byId('chat-status'),
    problem: byId('chat-problem'),
    options: byId('chat-options'),
    form: byId('chat-form'),
    input: byId('chat-input'),
    hint: byId('chat-input-hint'),
    restart: byId('chat-restart'),
    restartButton: byId('chat-restart-button'),
  };

  const state = {
    conversationId: null,
    busy: false,
    turns: 0,
    messageCount: 0,
    // The last message that failed to send: resending the same one reuses its idempotency key,
    // so if the server did get it the first time it is not applied twice.
    failed: null,
  };

  // nhsuk-frontend styles some components differently when its JavaScript could run; the
  // template sets these with an inline script, which our Content-Security-Policy forbids.
  document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');

  /** Builds an element: h('p', { className: 'x' }, 'text', child). Strings become text nodes. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === 'className') {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children) {
      if (child !== undefined && child !== null && child !== false) {
        node.append(child);
      }
    }
    return node;
  }

  /** Text only screen readers hear, such as who said a message. */
  const hidden = (text) => h('span', { className: 'nhsuk-u-visually-hidden' }, text);

  function newKey() {
    // randomUUID needs a secure context (https or localhost); plain http elsewhere still works.
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }

  // ---------------------------------------------------------------------------------------------
  // Talking to the API. Every failure becomes a sentence a patient can act on.

  async function post(url, body, idempotencyKey) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: JSON.stringify(body),
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch {
      return { ok: false, problem: UNREACHABLE };
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    if (res.ok && data) {
      return { ok: true, data };
    }
    if (res.status === 404) {
      return { ok: false, problem: EXPIRED, expired: true };
    }
    // A proxy in front of us answers these when the app itself is down.
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      return { ok: false, problem: UNREACHABLE };
    }
    const message = data && data.error && data.error.message;
    if (res.status < 500 && typeof message === 'string') {
      return { ok: false, problem: message };
    }
    return { ok: false, problem: SERVER_FAULT };
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering replies.

  const CARE = {
    emergency: { modifier: 'emergency', prefix: 'Immediate action required: ' },
    urgent: { modifier: 'urgent', prefix: 'Urgent advice: ' },
    'non-urgent': { modifier: 'non-urgent', prefix: 'Non-urgent advice: ' },
    'self-care': { modifier: 'non-urgent', prefix: 'Advice: ' },
  };

  /** "PT1H" → "Within 1 hour"; "PT0S" → "Now". Undefined when there is no timeframe. */
  function howSoon(timeframe) {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(timeframe || '');
    if (!m) {
      return undefined;
    }
    const units = [
      [m[1], 'day'],
      [m[2], 'hour'],
      [m[3], 'minute'],
    ];
    const parts = units
      .map(([n, unit]) => [Number(n || 0), unit])
      .filter(([n]) => n > 0)
      .map(([n, unit]) => `${n} ${unit}${n === 1 ? '' : 's'}`);
    return parts.length === 0 ? 'Now' : `Within ${parts.join(' and ')}`;
  }

  /** The reply text often repeats the label as its first sentence; the heading already says it. */
  function withoutLabel(text, label) {
    const t = (text || '').trim();
    if (label && t.toLowerCase().startsWith(label.toLowerCase())) {
      return t.slice(label.length).replace(/^[.!:\s]+/, '');
    }
    return t;
  }

  /** The red, red-and-black or blue NHS.UK care card for an emergency or an outcome. */
  function careCard(reply, isEmergency, headingId) {
    const d = reply.disposition || {};
    const label = d.label || (isEmergency ? 'Call 999 now' : 'What to do next');
    const care = isEmergency ? CARE.emergency : CARE[d.category] || CARE['non-urgent'];
    // "Call 999 now" already says how soon; outcomes say it in words ("Within 1 hour").
    const soon = isEmergency ? undefined : howSoon(d.timeframe);
    const rest = withoutLabel(reply.text, label);
    const reasons = Array.isArray(d.reasons) ? d.reasons : [];

    return h(
      'div',
      {
        className: `nhsuk-card nhsuk-card--care nhsuk-card--care--${care.modifier} chat-card`,
        // An emergency is announced at once, interrupting whatever the screen reader is saying.
        role: isEmergency ? 'alert' : undefined,
      },
      h(
        'div',
        { className: 'nhsuk-card__heading-container' },
        // tabindex -1: focus can be moved here when the conversation ends, without adding a stop.
        h(
          'h3',
          { className: 'nhsuk-card__heading', id: headingId, tabindex: '-1' },
          hidden(care.prefix),
          label,
        ),
        h('span', { className: 'nhsuk-card--care__arrow', 'aria-hidden': 'true' }),
      ),
      h(
        'div',
        { className: 'nhsuk-card__content' },
        soon && h('p', {}, h('strong', {}, 'How soon: '), soon),
        rest && h('p', {}, rest),
        reasons.length > 0 && h('p', { className: 'nhsuk-u-margin-bottom-2' }, 'Why we said this:'),
        reasons.length > 0 &&
          h('ul', { className: 'nhsuk-u-margin-bottom-0' }, ...reasons.map((r) => h('li', {}, r))),
      ),
    );
  }

  function bookingSummary(booking) {
    const when = (iso) => {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) {
        return String(iso);
      }
      return new Intl.DateTimeFormat('en-GB', {
        dateStyle: 'full',
        timeStyle: 'short',
        timeZone: 'Europe/London',
      }).format(date);
    };
    const service = booking.service || {};
    const rows = [
      ['Reference', booking.reference],
      ['Where', service.name],
      ['Address', service.address],
      ['When', booking.start && when(booking.start)],
    ].filter(([, value]) => value);
    return h(
      'dl',
      { className: 'nhsuk-summary-list nhsuk-u-margin-bottom-0' },
      ...rows.map(([key, value]) =>
        h(
          'div',
          { className: 'nhsuk-summary-list__row' },
          h('dt', { className: 'nhsuk-summary-list__key' }, key),
          h('dd', { className: 'nhsuk-summary-list__value' }, String(value)),
        ),
      ),
    );
  }

  /** One service message as a list item. Returns the item and what a screen reader should hear. */
  function serviceMessage(reply) {
    state.messageCount += 1;
    const textId = `msg-${state.messageCount}`;
    const item = h('li', { className: 'chat-message chat-message--service' });
    let spoken = reply.text;

    if (reply.kind === 'emergency' || reply.kind === 'outcome') {
      item.classList.add('chat-message--card');
      item.append(
        hidden('Digital 111 said: '),
        careCard(reply, reply.kind === 'emergency', textId),
      );
      const d = reply.disposition || {};
      spoken = [d.label, howSoon(d.timeframe), withoutLabel(reply.text, d.label)]
        .concat(d.reasons || [])
        .filter(Boolean)
        .join('. ');
    } else if (reply.kind === 'error') {
      item.classList.add('chat-message--error');
      spoken = `Error: ${reply.text}`;
      item.append(
        h('p', { id: textId, className: 'chat-message__text' }, hidden('Error: '), reply.text),
      );
    } else {
      item.append(
        h(
          'p',
          { id: textId, className: 'chat-message__text' },
          hidden('Digital 111 said: '),
          reply.text,
        ),
      );
      if (reply.kind === 'booking-confirmed' && reply.booking) {
        item.append(bookingSummary(reply.booking));
      }
      // The "What does this mean?" text: a native <details>, so it works with any input method.
      if (reply.help) {
        item.append(
          h(
            'details',
            { className: 'nhsuk-details nhsuk-u-margin-bottom-0 chat-message__help' },
            h(
              'summary',
              { className: 'nhsuk-details__summary' },
              h('span', { className: 'nhsuk-details__summary-text' }, 'What does this mean?'),
            ),
            h('div', { className: 'nhsuk-details__text' }, reply.help),
          ),
        );
      }
    }
    return { item, textId, spoken, alerted: reply.kind === 'emergency' };
  }

  function patientMessage(text) {
    const item = h(
      'li',
      { className: 'chat-message chat-message--patient' },
      h('p', { className: 'chat-message__text' }, hidden('You said: '), text),
    );
    el.log.append(item);
    return item;
  }

  /** Politely reads out new service messages (emergencies have their own role="alert"). */
  function announce(text) {
    // Emptying first and refilling on the next tick makes readers repeat an identical message.
    el.announcer.textContent = '';
    if (text) {
      setTimeout(() => {
        el.announcer.textContent = text;
      }, 50);
    }
  }

  function showOptions(reply, labelId) {
    el.options.replaceChildren();
    const options = (reply && Array.isArray(reply.options) && reply.options) || [];
    if (options.length === 0) {
      el.options.hidden = true;
      el.options.removeAttribute('aria-labelledby');
      el.hint.textContent = 'Type your answer, then press Send.';
      return;
    }
    // The group is named by the question it answers, so each button is heard in context.
    el.options.setAttribute('aria-labelledby', labelId);
    for (const option of options) {
      const button = h(
        'button',
        { type: 'button', className: 'nhsuk-button nhsuk-button--secondary chat-option' },
        option.label,
      );
      button.addEventListener('click', () => {
        void send({ optionId: option.id }, option.label);
      });
      el.options.append(button);
    }
    el.options.hidden = false;
    el.hint.textContent = 'Choose an answer above, or type your own answer, then press Send.';
  }

  // ---------------------------------------------------------------------------------------------
  // Focus: move it only when the user's own action was in the chat controls (or the button they
  // pressed has just been removed), so a screen reader user reading elsewhere is not pulled away.

  function focusInControls() {
    const active = document.activeElement;
    return (
      !active ||
      active === document.body ||
      el.options.contains(active) ||
      el.form.contains(active) ||
      el.restart.contains(active) ||
      el.problem.contains(active)
    );
  }

  function moveFocus(target) {
    if (target && focusInControls()) {
      target.focus();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The conversation.

  function setBusy(busy) {
    state.busy = busy;
    el.status.hidden = !busy;
    el.log.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  function showProblem(message, retry) {
    el.problem.replaceChildren(
      h(
        'div',
        { className: 'nhsuk-error-summary chat-problem__summary' },
        h('h3', { className: 'nhsuk-error-summary__heading' }, 'There is a problem'),
        h(
          'div',
          { className: 'nhsuk-error-summary__body' },
          h('p', { className: retry ? undefined : 'nhsuk-u-margin-bottom-0' }, message),
          retry &&
            h(
              'button',
              {
                type: 'button',
                className: 'nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0',
              },
              'Try again',
            ),
        ),
      ),
    );
    const button = el.problem.querySelector('button');
    if (button && retry) {
      button.addEventListener('click', retry);
    }
  }

  // The problem area is a role="alert" region that is always in the page (empty when all is
  // well): screen readers announce content added to an alert region they already know about.
  function clearProblem() {
    el.problem.replaceChildren();
  }

  /** Renders one turn's replies and puts the controls and focus in the right state. */
  function showTurn(replies, ended, opts) {
    const rendered = replies.map(serviceMessage);
    for (const r of rendered) {
      el.log.append(r.item);
    }
    announce(
      rendered
        .filter((r) => !r.alerted)
        .map((r) => r.spoken)
        .join(' '),
    );

    // Answer buttons belong to the turn's last reply only: buttons left beside an older question
    // would answer something the service is no longer asking.
    const last = replies[replies.length - 1];
    const asking = Boolean(last && Array.isArray(last.options) && last.options.length > 0);
    showOptions(asking ? last : undefined, asking ? rendered[rendered.length - 1].textId : '');

    el.form.hidden = ended;
    el.restart.hidden = !ended;
    state.turns += 1;
    el.log.setAttribute('data-turns', String(state.turns));

    if (opts && opts.initial) {
      // On first load the user reads the page from the top; focus stays where the browser put it.
      return;
    }
    if (ended) {
      // The result is what matters now: start reading there. "Start again" is a later Tab stop.
      const card = rendered.find((r) => r.item.querySelector('.nhsuk-card__heading'));
      moveFocus(card ? card.item.querySelector('.nhsuk-card__heading') : el.restartButton);
    } else if (asking) {
      moveFocus(el.options.querySelector('button'));
    } else {
      moveFocus(el.input);
    }
  }

  /** Starts a new conversation; `initial` is the one begun by loading the page. */
  async function start(initial) {
    if (state.busy) {
      return;
    }
    state.conversationId = null;
    state.failed = null;
    el.log.replaceChildren();
    clearProblem();
    showOptions(undefined);
    el.form.hidden = true;
    el.restart.hidden = true;
    setBusy(true);
    const result = await post(API, {});
    setBusy(false);
    if (!result.ok) {
      showProblem(result.problem, () => void start(false));
      moveFocus(el.problem.querySelector('button'));
      return;
    }
    state.conversationId = result.data.conversationId;
    el.form.hidden = false;
    showTurn(result.data.replies || [], false, { initial });
  }

  async function send(body, shownText) {
    if (state.busy || !state.conversationId) {
      return;
    }
    const bodyJson = JSON.stringify(body);
    const key = state.failed && state.failed.bodyJson === bodyJson ? state.failed.key : newKey();
    clearProblem();
    const bubble = patientMessage(shownText);
    setBusy(true);
    const result = await post(
      `${API}/${encodeURIComponent(state.conversationId)}/messages`,
      body,
      key,
    );
    setBusy(false);
    if (!result.ok) {
      // Not sent: take the bubble back, keep what they typed, and say what to do.
      bubble.remove();
      state.failed = { bodyJson, key };
      if (body.text !== undefined && el.input.value === '') {
        el.input.value = body.text;
      }
      if (result.expired) {
        el.form.hidden = true;
        showOptions(undefined);
        el.restart.hidden = false;
        showProblem(result.problem);
        moveFocus(el.restartButton);
      } else {
        showProblem(result.problem);
      }
      return;
    }
    state.failed = null;
    showTurn(result.data.replies || [], Boolean(result.data.ended));
  }

  el.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = el.input.value.trim();
    if (text === '') {
      showProblem('Type a message, or choose one of the answers.');
      el.input.focus();
      return;
    }
    if (state.busy) {
      return;
    }
    el.input.value = '';
    void send({ text }, text);
  });

  el.restartButton.addEventListener('click', () => void start(false));

  void start(true);
})();
