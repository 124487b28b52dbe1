import { AsyncLocalStorage } from 'node:async_hooks';
import { formatTraceparent, type TraceContext } from '@gw/contracts';

/** What identifies the HTTP request being served: its id and its span of the trace. */
export interface RequestContext {
  requestId: string;
  trace: TraceContext;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` with `context` as the current request's, through everything it awaits. */
export function runInRequest<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The `traceparent` an edge passes on with what it publishes for the current request. */
export function currentTraceparent(): string | undefined {
  const context = storage.getStore();
  return context && formatTraceparent(context.trace);
}
