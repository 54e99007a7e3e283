// src/distributed/host.ts — what rendezvous needs from the operating system: the environment
// (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, GLOO_SOCKET_IFNAME), this host's address, and the
// file store's directory. The browser bundle takes host.browser.ts instead.
import { lookup } from 'node:dns/promises';
import { mkdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';

/** An environment variable, or undefined. */
export function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The address Gloo listens on for its peers: 127.0.0.1 when the rendezvous host is this machine's
 * loopback, else this host's name when it resolves (PyTorch's default device), else loopback.
 */
export async function deviceHost(rendezvousHost: string | null): Promise<string> {
  if (rendezvousHost !== null && /^(127\.|localhost$|::1$|\[::1\]$)/.test(rendezvousHost)) return '127.0.0.1';
  const name = hostname();
  try {
    const { address } = await lookup(name);
    return address.startsWith('127.') || address === '::1' ? '127.0.0.1' : name;
  } catch {
    return '127.0.0.1';
  }
}

/** Creates the file store's directory (and its parents). */
export function makeStoreDirectory(path: string): void {
  mkdirSync(path, { recursive: true });
}

/** Removes the file store's directory once every rank has joined, so that a rerun starts clean. */
export function removeStoreDirectory(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
