let inFlight = 0;

/** A `WorkerPool` module for tests: holds each task `holdMs`, and says how many tasks its thread was running when this one started. */
export default async function inFlightWorker(holdMs: number): Promise<number> {
  inFlight += 1;
  const running = inFlight;
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  inFlight -= 1;
  return running;
}
