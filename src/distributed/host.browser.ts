// src/distributed/host.browser.ts — the browser's twin of host.ts: no environment, no files; the
// distributed addon never loads there, so these are reached only through isAvailable()'s answer.
/** No environment in a browser. */
export function env(_name: string): string | undefined {
  return undefined;
}

/** Loopback: a browser has no address of its own to offer. */
export function deviceHost(_rendezvousHost: string | null): Promise<string> {
  return Promise.resolve('127.0.0.1');
}

/** Refuses: a browser has no file system. */
export function makeStoreDirectory(_path: string): void {
  throw new Error('the file store needs Node');
}

/** Refuses: a browser has no file system. */
export function removeStoreDirectory(_path: string): void {
  throw new Error('the file store needs Node');
}
