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
