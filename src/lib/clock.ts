// The application's clock. Every rule reads this (passed in), never the database's now(), so a job run
// "as if at" a given time behaves exactly as it would at that time.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
