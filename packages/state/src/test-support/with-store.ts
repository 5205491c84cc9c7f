import { StateStore } from '../state-store.js';

/** Opens the state database at `path` (cache version `test` unless given), uses it, and closes it whatever happens. */
export async function withStore<T>(path: string, use: (store: StateStore) => Promise<T>, cacheVersion = 'test'): Promise<T> {
  const store = await StateStore.open(path, { cacheVersion });
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
