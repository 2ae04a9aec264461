/// <reference lib="dom" />
// A tiny in-memory LabApi: requests answered by handlers the test sets, sends recorded, events
// emitted by the test.
import type {
  ApiEvents,
  ApiRequests,
  ApiSends,
  EventName,
  LabApi,
  RequestName,
  SendName,
} from '../../../../shared/api.js';

export type Handler<N extends RequestName> = (
  ...args: ApiRequests[N]['args']
) => ApiRequests[N]['result'] | Promise<ApiRequests[N]['result']>;

export type Handlers = { [N in RequestName]?: Handler<N> };

export interface RecordedCall {
  name: RequestName;
  args: unknown[];
}

export interface RecordedSend {
  name: SendName;
  args: unknown[];
}

type AnyListener = (...args: unknown[]) => void;

export class FakeLabApi implements LabApi {
  readonly calls: RecordedCall[] = [];
  readonly sends: RecordedSend[] = [];
  private readonly listeners = new Map<string, Set<AnyListener>>();

  constructor(public handlers: Handlers = {}) {}

  handle<N extends RequestName>(name: N, handler: Handler<N>): this {
    (this.handlers as Record<string, unknown>)[name] = handler;
    return this;
  }

  async request<N extends RequestName>(
    name: N,
    ...args: ApiRequests[N]['args']
  ): Promise<ApiRequests[N]['result']> {
    this.calls.push({ name, args });
    const handler = this.handlers[name];
    if (!handler) throw new Error(`fake API: no handler for ${name}`);
    return handler(...args);
  }

  send<N extends SendName>(name: N, ...args: ApiSends[N]): void {
    this.sends.push({ name, args });
  }

  on<N extends EventName>(name: N, listener: (...args: ApiEvents[N]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const stored = listener as AnyListener;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  emit<N extends EventName>(name: N, ...args: ApiEvents[N]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(...args);
  }

  listenerCount(name: EventName): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  callsOf(name: RequestName): unknown[][] {
    return this.calls.filter((c) => c.name === name).map((c) => c.args);
  }

  sendsOf(name: SendName): unknown[][] {
    return this.sends.filter((s) => s.name === name).map((s) => s.args);
  }
}
