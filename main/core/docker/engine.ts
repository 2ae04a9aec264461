// Which Docker Engine the app talks to, and a client for it. dockerode (docker-modem) follows
// DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH like the docker CLI does, which is how the
// kernel test tier points the same code at an engine inside user-mode Linux.
import Docker from 'dockerode';

export interface EngineEndpoint {
  /** `unix:///var/run/docker.sock` or `tcp://host:port`. */
  url: string;
  fromEnv: boolean;
}

export function engineEndpoint(env: NodeJS.ProcessEnv = process.env): EngineEndpoint {
  const host = env.DOCKER_HOST;
  if (host !== undefined && host !== '') return { url: host, fromEnv: true };
  return { url: 'unix:///var/run/docker.sock', fromEnv: false };
}

export function connectEngine(): Docker {
  return new Docker();
}

/** A client of the engine a DOCKER_HOST-style URL names: unix:///path or tcp://host:port. */
export function dockerAt(url: string): Docker {
  const parsed = new URL(url);
  if (parsed.protocol === 'unix:') return new Docker({ socketPath: parsed.pathname });
  if (parsed.protocol === 'tcp:')
    return new Docker({ host: parsed.hostname, port: Number(parsed.port || 2375) });
  throw new Error(`an engine address is unix:///path/to/docker.sock or tcp://host:port, not ${url}`);
}

/**
 * Whether an error says the engine is not there: a connection to its socket or address that
 * failed (ENOENT: no socket file; ECONNREFUSED: nobody listening). Any other ENOENT, such as a
 * lab file or an image context that is missing, is not about Docker and keeps its own message.
 */
export function isEngineUnreachable(error: unknown, endpoint: EngineEndpoint = engineEndpoint()): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, syscall, address, path } = error as NodeJS.ErrnoException & { address?: string };
  if (code !== 'ENOENT' && code !== 'ECONNREFUSED') return false;
  if (syscall === 'connect') return true;
  const socket = endpoint.url.replace(/^unix:\/\//, '');
  return address === socket || path === socket;
}
