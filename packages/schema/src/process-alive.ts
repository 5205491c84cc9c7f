/**
 * Whether a process with this id runs on this machine (signal 0 probes without sending). Used to
 * tell a killed run's leftovers (a temp folder, a hold on the state database) from a live run's.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
