/** The cabinet's notion of now, injected so tests can move time (code expiry, the last three ЕПД). */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
