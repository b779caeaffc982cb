import { describe, expect, test } from 'vitest';
import { CATEGORIES, DispositionScale, SERVICE_TYPES } from '../../src/triage/index.js';
import { realScale } from '../helpers/triage.js';

describe('the disposition scale in data/dispositions.yaml', () => {
  const scale = realScale();

  test('when loaded, then it covers every category of the contract, most urgent first', () => {
    const categories = scale.all.map((d) => d.category);
    expect(new Set(categories)).toEqual(new Set(CATEGORIES));
    const order = categories.map((c) => CATEGORIES.indexOf(c));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('when any disposition cannot be met, then it escalates to something more urgent, up to 999', () => {
    for (const d of scale.all) {
      const seen = new Set<string>();
      let code: string | undefined = d.code;
      while (code !== undefined && !seen.has(code)) {
        seen.add(code);
        code = scale.escalate(code);
      }
      expect(code, `${d.code} escalation loops`).toBeUndefined();
      expect([...seen].pop()).toBe('CALL_999');
    }
  });

  test('when a service type is used, then it is one of the contract', () => {
    for (const d of scale.all) {
      expect(SERVICE_TYPES).toContain(d.service);
    }
  });

  test('when urgency is raised, then it only ever moves up', () => {
    expect(scale.raiseOnly('SELF_CARE', 'GP_24H')).toBe('GP_24H');
    expect(scale.raiseOnly('GP_24H', 'SELF_CARE')).toBe('GP_24H');
    expect(scale.raiseOnly('ED_1H', 'MH_CRISIS_NOW')).toBe('ED_1H');
  });

  test('when two codes share a rank, then neither is more urgent', () => {
    expect(scale.compare('ED_1H', 'MH_CRISIS_NOW')).toBe(0);
    expect(scale.isMoreUrgent('CALL_999', 'ED_1H')).toBe(true);
  });

  test('when a code is unknown, then get throws and has says no', () => {
    expect(scale.has('NOPE')).toBe(false);
    expect(() => scale.get('NOPE')).toThrow('Unknown disposition code NOPE');
  });

  test('when a scale is built in code, then low urgency means self-care or non-urgent', () => {
    const small = new DispositionScale(
      scale.all.filter((d) => ['CALL_999', 'GP_3D', 'SELF_CARE'].includes(d.code)),
    );
    expect(['CALL_999', 'GP_3D', 'SELF_CARE'].map((c) => small.isLowUrgency(c))).toEqual([
      false,
      true,
      true,
    ]);
  });
});
