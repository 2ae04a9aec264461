// `lvs-lab shell NODE`: an interactive TTY in a node through the Docker exec API, with the
// terminal in raw mode and the size following the window.
import type Docker from 'dockerode';

export async function attachShell(container: Docker.Container): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const exec = await container.exec({
    Cmd: ['/bin/sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: ['TERM=xterm-256color'],
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
  const resize = () => {
    if (stdout.columns && stdout.rows)
      exec.resize({ h: stdout.rows, w: stdout.columns }).catch(() => undefined);
  };
  const wasRaw = stdin.isTTY && stdin.isRaw;
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.pipe(stream);
  stream.pipe(stdout);
  process.on('SIGWINCH', resize);
  resize();
  await new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
  });
  process.off('SIGWINCH', resize);
  stdin.unpipe(stream);
  if (stdin.isTTY) stdin.setRawMode(wasRaw);
  stdin.pause();
  const info = await exec.inspect();
  return info.ExitCode ?? 0;
}
