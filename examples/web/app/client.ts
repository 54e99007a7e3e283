// examples/web/app/client.ts — the page's side of the worker: starts it, waits for its 'ready' (posting earlier
// could lose the message, protocol.ts) and hands each reply to the listeners.
import type { Reply, Request, WorkerInfo } from './protocol.js';

/** The running worker, ready for requests. */
export interface WorkerClient {
  info: WorkerInfo;
  post: (request: Request) => void;
  /** Adds a listener for every reply after 'ready'. */
  listen: (listener: (reply: Reply) => void) => void;
}

/** Starts the module worker at `url` and resolves once it has imported kindling and said 'ready'. */
export function startWorker(url: URL): Promise<WorkerClient> {
  const worker = new Worker(url, { type: 'module' });
  const listeners: ((reply: Reply) => void)[] = [];
  return new Promise((resolve, reject) => {
    worker.onerror = (e): void => { reject(new Error(`the worker failed to start: ${e.message}`)); };
    worker.onmessage = (event: MessageEvent<Reply>): void => {
      const reply = event.data;
      if (reply.type === 'ready') {
        resolve({
          info: reply.info,
          post: (request) => { worker.postMessage(request); },
          listen: (listener) => { listeners.push(listener); },
        });
        return;
      }
      for (const listener of listeners) listener(reply);
    };
  });
}
