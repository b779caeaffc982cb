/**
 * A small XML reader for TwiML in tests: elements, attributes and text, enough to assert the
 * structure Twilio will act on (not a general XML parser: no CDATA, comments or namespaces).
 */

export interface TwimlElement {
  name: string;
  attributes: Record<string, string>;
  children: TwimlElement[];
  /** The element's own text (for <Say> and <Number>), entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) {
      return String.fromCodePoint(Number(name.slice(1)));
    }
    return ENTITIES[name] ?? whole;
  });
}

const TOKEN =
  /<\?[^>]*\?>|<\/([A-Za-z][\w.-]*)\s*>|<([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
const ATTRIBUTE = /([\w:.-]+)="([^"]*)"/g;

/** Parses a TwiML document and returns its root element (which must be <Response>). */
export function parseTwiml(xml: string): TwimlElement {
  const root: TwimlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: TwimlElement[] = [root];
  let consumed = 0;
  for (const match of xml.matchAll(TOKEN)) {
    if (match.index !== consumed) {
      throw new Error(`unreadable XML at ${consumed}: ${xml.slice(consumed, consumed + 40)}`);
    }
    consumed = match.index + match[0].length;
    const [, closing, opening, attributeText, selfClosing, text] = match;
    const top = stack[stack.length - 1];
    if (!top) {
      throw new Error('unbalanced XML');
    }
    if (text !== undefined) {
      if (text.trim() !== '') {
        top.text += decode(text);
      }
    } else if (opening !== undefined) {
      const attributes: Record<string, string> = {};
      for (const [, name, value] of (attributeText ?? '').matchAll(ATTRIBUTE)) {
        if (name !== undefined && value !== undefined) {
          attributes[name] = decode(value);
        }
      }
      const element: TwimlElement = { name: opening, attributes, children: [], text: '' };
      top.children.push(element);
      if (selfClosing !== '/') {
        stack.push(element);
      }
    } else if (closing !== undefined) {
      if (top.name !== closing) {
        throw new Error(`</${closing}> closes <${top.name}>`);
      }
      stack.pop();
    }
  }
  if (consumed !== xml.length || stack.length !== 1) {
    throw new Error('XML ended early');
  }
  const [response, ...rest] = root.children;
  if (!response || rest.length > 0 || response.name !== 'Response') {
    throw new Error('TwiML must have exactly one <Response> root');
  }
  return response;
}

/** The names of an element's children, in order: ['Say', 'Gather'] and so on. */
export function verbs(element: TwimlElement): string[] {
  return element.children.map((c) => c.name);
}

/** Every element of that name, depth first. */
export function findAll(element: TwimlElement, name: string): TwimlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}

/** The one element of that name; fails when there is none or more than one. */
export function only(element: TwimlElement, name: string): TwimlElement {
  const found = findAll(element, name);
  if (found.length !== 1 || !found[0]) {
    throw new Error(`expected one <${name}>, found ${found.length}`);
  }
  return found[0];
}

/** Everything said, in order, as one string (the spoken words of the call). */
export function spokenText(element: TwimlElement): string {
  return findAll(element, 'Say')
    .map((s) => s.text)
    .join(' ');
}

/** The query of a TwiML URL attribute (action, url) as a plain object. */
export function queryOf(url: string): Record<string, string> {
  const q = new URL(url, 'http://x').searchParams;
  return Object.fromEntries(q.entries());
}
