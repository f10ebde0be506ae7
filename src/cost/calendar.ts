// Day and month boundaries for "spent today" and "this month". They are the user's local ones, so
// they move with time zones and daylight saving; injectable so tests can pin them.

export interface Calendar {
  /** Epoch ms of the local midnight that starts the day containing `ms`. */
  startOfDay(ms: number): number;
  /** Epoch ms of local midnight on the 1st of the month containing `ms`. */
  startOfMonth(ms: number): number;
  /** Epoch ms of local midnight on the 1st of the next month. */
  startOfNextMonth(ms: number): number;
}

/** The process's local time zone (what the user sees on their clock). */
export const localCalendar: Calendar = {
  startOfDay: (ms) => {
    const d = new Date(ms);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  },
  startOfMonth: (ms) => {
    const d = new Date(ms);
    return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  },
  startOfNextMonth: (ms) => {
    const d = new Date(ms);
    return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  },
};

/** A zone with a fixed offset from UTC (minutes east of Greenwich), for tests and for UTC itself. */
export function fixedOffsetCalendar(offsetMinutes: number): Calendar {
  const shift = offsetMinutes * 60_000;
  const utc = (ms: number) => new Date(ms + shift);
  return {
    startOfDay: (ms) => {
      const d = utc(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - shift;
    },
    startOfMonth: (ms) => {
      const d = utc(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - shift;
    },
    startOfNextMonth: (ms) => {
      const d = utc(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - shift;
    },
  };
}

export interface Period {
  readonly from: number;
  readonly to: number;
}

export function today(calendar: Calendar, now: number): Period {
  return { from: calendar.startOfDay(now), to: now };
}

export function monthToDate(calendar: Calendar, now: number): Period {
  return { from: calendar.startOfMonth(now), to: now };
}
