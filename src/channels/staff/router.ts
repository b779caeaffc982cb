import { timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';

/**
 * Staff routes: read a patient's record and erase it. Off unless STAFF_API_TOKEN is set; every
 * request needs `Authorization: Bearer <token>`. The router only sees this small interface, so
 * the channel layer stays free of the CRM's internals.
 */
export interface PatientRecords {
  get(patientId: string): Promise<object | undefined>;
  history(patientId: string, limit?: number): Promise<object[]>;
  erase(patientId: string): Promise<boolean>;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function staffRouter(records: PatientRecords, token: string | undefined): Router {
  const router = Router();
  router.use('/api/staff', (req: Request, res: Response, next: NextFunction) => {
    if (token === undefined) {
      fail(res, 404, 'not-found', 'Staff routes are switched off on this service.');
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (given === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      fail(res, 401, 'unauthorised', 'Send Authorization: Bearer <staff token>.');
      return;
    }
    if (!sameToken(given, token)) {
      fail(res, 403, 'forbidden', 'That token is not allowed here.');
      return;
    }
    next();
  });

  router.get('/api/staff/patients/:id', async (req: Request<{ id: string }>, res: Response) => {
    const profile = await records.get(req.params.id);
    if (!profile) {
      fail(res, 404, 'not-found', 'There is no patient with that id.');
      return;
    }
    res.json({ profile, history: await records.history(req.params.id, 50) });
  });

  router.delete('/api/staff/patients/:id', async (req: Request<{ id: string }>, res: Response) => {
    const erased = await records.erase(req.params.id);
    if (!erased) {
      fail(res, 404, 'not-found', 'There is no patient with that id.');
      return;
    }
    res.status(204).end();
  });

  return router;
}
