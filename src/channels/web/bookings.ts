import { Router, type Request, type Response } from 'express';

/**
 * The bookings API of the contract: read a booking by its reference and cancel it. The router
 * sees only this small interface, so the channel layer stays free of booking's internals.
 */
export interface BookingView {
  reference: string;
  service: { id: string; name: string; address: string };
  start: string;
  end: string;
  status: 'booked' | 'cancelled';
}

export interface BookingDesk {
  get(reference: string): Promise<BookingView | undefined>;
  cancel(
    reference: string,
  ): Promise<
    { ok: true; booking: BookingView } | { ok: false; reason: 'not-found' | 'already-cancelled' }
  >;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function bookingsRouter(desk: BookingDesk): Router {
  const router = Router();

  router.get(
    '/api/bookings/:reference',
    async (req: Request<{ reference: string }>, res: Response) => {
      const booking = await desk.get(req.params.reference);
      if (!booking) {
        fail(
          res,
          404,
          'not-found',
          'There is no booking with that reference. Check the letters and numbers.',
        );
        return;
      }
      res.json(booking);
    },
  );

  router.post(
    '/api/bookings/:reference/cancel',
    async (req: Request<{ reference: string }>, res: Response) => {
      const result = await desk.cancel(req.params.reference);
      if (!result.ok) {
        if (result.reason === 'already-cancelled') {
          fail(res, 409, 'conflict', 'That booking was already cancelled.');
        } else {
          fail(res, 404, 'not-found', 'There is no booking with that reference.');
        }
        return;
      }
      res.json(result.booking);
    },
  );

  return router;
}
