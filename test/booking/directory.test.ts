import { describe, expect, test } from 'vitest';
import { checkServiceFileName, ServiceDirectory } from '../../src/booking/index.js';
import { aService, hoursOn } from './load-services.js';

const KNOWN = ['GP_2H', 'GP_6H', 'UEC_4H', 'ED_1H', 'PHARMACY_24H'];

function aDirectory(): ServiceDirectory {
  return new ServiceDirectory([
    aService({ id: 'harbour-lane-surgery', accepts: ['GP_2H', 'GP_6H'] }),
    aService({ id: 'westmere-utc', type: 'urgent-treatment-centre', accepts: ['UEC_4H'] }),
    aService({
      id: 'westmere-ed',
      type: 'emergency-department',
      bookable: false,
      openingHours: hoursOn(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        [{ open: '00:00', close: '24:00' }],
      ),
      accepts: ['ED_1H', 'UEC_4H'],
    }),
  ]);
}

describe('ServiceDirectory', () => {
  test('when a service is looked up by id, then it is found, and an unknown id gives undefined', () => {
    const directory = aDirectory();

    expect(directory.byId('westmere-utc')?.type).toBe('urgent-treatment-centre');
    expect(directory.byId('nowhere')).toBeUndefined();
  });

  test('when services accepting a code are listed, then bookable and signposting services both appear, in directory order', () => {
    expect(
      aDirectory()
        .accepting('UEC_4H')
        .map((s) => s.id),
    ).toEqual(['westmere-utc', 'westmere-ed']);
    expect(aDirectory().accepting('DENTAL_1H')).toEqual([]);
  });

  test('when services of a type are listed, then only that type comes back', () => {
    expect(
      aDirectory()
        .ofType('gp')
        .map((s) => s.id),
    ).toEqual(['harbour-lane-surgery']);
  });

  test('when every code and id is fine, then check finds no problems', () => {
    expect(aDirectory().check(KNOWN)).toEqual([]);
  });

  test('when a service accepts an unknown code, then check names the service, the field and a likely fix', () => {
    const directory = new ServiceDirectory([
      aService({ id: 'harbour-lane-surgery', accepts: ['GP_2H', 'GP_6HR', 'ZZZ'] }),
    ]);

    expect(directory.check(KNOWN)).toEqual([
      {
        serviceId: 'harbour-lane-surgery',
        field: 'accepts[1]',
        rule: 'unknown-disposition',
        message: "'GP_6HR' is not a disposition code",
        fix: 'use a code of data/dispositions.yaml (did you mean GP_6H?)',
      },
      {
        serviceId: 'harbour-lane-surgery',
        field: 'accepts[2]',
        rule: 'unknown-disposition',
        message: "'ZZZ' is not a disposition code",
        fix: 'use a code of data/dispositions.yaml',
      },
    ]);
  });

  test('when two services share an id, then check reports the second and byId keeps the first', () => {
    const directory = new ServiceDirectory([
      aService({ id: 'harbour-lane-surgery', name: 'First' }),
      aService({ id: 'harbour-lane-surgery', name: 'Second' }),
    ]);

    expect(directory.check(KNOWN)).toEqual([
      expect.objectContaining({
        serviceId: 'harbour-lane-surgery',
        field: 'id',
        rule: 'duplicate-id',
      }),
    ]);
    expect(directory.byId('harbour-lane-surgery')?.name).toBe('First');
  });

  test('when the directory searches slots, then it searches its own services', () => {
    const result = aDirectory().findSlots({
      disposition: 'UEC_4H',
      timeframe: 'PT4H',
      now: new Date('2027-01-13T10:00:00Z'),
    });

    expect(result).toMatchObject({ ok: false, reason: 'none-in-timeframe' });
  });
});

describe('checkServiceFileName', () => {
  test('when the file is named after the id, then there is no problem', () => {
    expect(
      checkServiceFileName('data/services/test-service.yaml', aService({ id: 'test-service' })),
    ).toBeUndefined();
  });

  test('when the file name and the id differ, then the problem says which to rename', () => {
    const problem = checkServiceFileName(
      'data\\services\\old-name.yaml',
      aService({ id: 'test-service' }),
    );

    expect(problem).toMatchObject({ rule: 'file-name', field: 'id' });
    expect(problem?.message).toBe("the file is named 'old-name' but the id is 'test-service'");
    expect(problem?.fix).toContain('rename the file to test-service.yaml');
  });
});
