// Messages of one session fall in few distinct minutes: formatting the minute once and the
// seconds by hand is several times cheaper than `new Date(ms).toISOString()` per message.
let cachedMinute = Number.NaN;
let cachedMinutePrefix = '';

/** Unix milliseconds as ISO 8601 (`2026-08-10T09:15:02.466Z`), like `Date.prototype.toISOString`. */
export function isoFromMilliseconds(milliseconds: number): string {
  const minute = Math.floor(milliseconds / 60_000);
  if (minute !== cachedMinute) {
    const iso = new Date(minute * 60_000).toISOString();
    // Years beyond 9999 change the format; let Date handle those whole.
    if (iso.length !== 24) return new Date(milliseconds).toISOString();
    cachedMinute = minute;
    cachedMinutePrefix = iso.slice(0, 17);
  }
  const withinMinute = milliseconds - minute * 60_000;
  const seconds = Math.floor(withinMinute / 1000);
  const millis = Math.floor(withinMinute - seconds * 1000);
  // join() makes one flat string; `+` or a template would make a tree of cons strings, several
  // objects per timestamp for the GC to copy while the Session is alive.
  return [cachedMinutePrefix, `${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`].join('');
}

/** Unix milliseconds (pi's `message.timestamp`) or an ISO string, as ISO 8601. */
export function isoTimestamp(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 8.64e15) return isoFromMilliseconds(value);
  if (typeof value === 'string' && value !== '') return value;
  return undefined;
}
