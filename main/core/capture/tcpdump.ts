// The shell that starts tcpdump in the background of a node, bounded by `timeout`, and returns
// only once it listens (or fails with tcpdump's own message, exit 3). The bypass check and the
// capture both start theirs this way; each stops and reads its own output.

/** How long tcpdump gets to attach to its interfaces (polled, 0.1 s at a time). */
const ATTACH_POLLS = 30;

/**
 * `args` are tcpdump's, with their output redirection (`-w FILE`, or `>FILE` for text). Its
 * messages go to `file.err`, its pid to `file.pid`; `backstopSeconds` ends it whatever happens
 * to the script that should stop it.
 */
export function startTcpdump(file: string, args: string, backstopSeconds: number): string {
  return [
    `rm -f ${file} ${file}.err`,
    `timeout ${backstopSeconds} tcpdump ${args} 2>${file}.err &`,
    `echo $! >${file}.pid`,
    `i=0; until grep -q 'listening on' ${file}.err 2>/dev/null || [ $i -ge ${ATTACH_POLLS} ]; do sleep 0.1; i=$((i + 1)); done`,
    `grep -q 'listening on' ${file}.err || { cat ${file}.err >&2; exit 3; }`,
  ].join('\n');
}
