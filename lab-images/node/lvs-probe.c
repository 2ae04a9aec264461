/*
 * lvs-probe: a bounded HTTP request generator for the LVS Lab client node.
 *
 * It sends HTTP/1.0 GET requests at a steady rate, each on a NEW TCP connection (no keep-alive,
 * so that IPVS schedules every request on its own, as with one curl per request), and prints one
 * line per request. Several requests may be in flight at once (non-blocking sockets, one epoll
 * loop), so a slow or silent server does not lower the rate; at most --concurrency are open.
 *
 * Usage:
 *   lvs-probe --url http://HOST[:PORT][/PATH] --rate R --duration S
 *             [--timeout MS] [--max N] [--concurrency C] [--tag WORD] [--heartbeat S]
 *             [--ignore-stdin]
 *
 *   --rate R         requests per second, 0.5..2000
 *   --duration S     seconds during which requests start, 0.1..3600
 *   --timeout MS     limit for one request (connect, send, whole answer), 10..60000, default 2000
 *   --max N          hard limit on the number of requests, 1..2000000,
 *                    default min(ceil(R * S), 2000000)
 *   --concurrency C  requests in flight at most, 1..256, default 64; when all are busy the next
 *                    request waits; a backlog of more than max(250 ms, 2 intervals) (a
 *                    stalled server or machine) is dropped rather than sent in a burst
 *   --tag WORD       ignored; lets the caller find this process with `pkill -f`
 *   --heartbeat S    stop when nothing arrives on standard input for S seconds (0.5..600): the
 *                    caller writes a byte now and then, so that a caller that hung, or whose
 *                    connection stays half open, does not leave the probe running (a caller
 *                    that dies closes the pipe: end of file); only when stdin is watched
 *   --ignore-stdin   do not stop when standard input reaches end of file
 *
 * It stops, prints its END line and exits 0 when the duration is over and the requests in flight
 * have ended (at most --timeout later), when --max requests have been made, on SIGTERM or SIGINT,
 * and when standard input is a pipe or socket that reaches end of file (the caller went away).
 * Bad arguments exit 2, a host that does not resolve exits 1, with a message on stderr.
 *
 * Output (stdout, ASCII, one record per line, fields separated by one space). It is written in
 * batches: when 64 lines are pending or 100 ms after the first pending line, and at the end.
 *
 *   START 1 <url> rate=<R> duration=<S> timeout=<MS> max=<N> concurrency=<C>
 *   R <seq> <start_ms> <latency_ms> <status> <error> <body>
 *   END <reason> sent=<n> done=<n> ok=<n> errors=<n> aborted=<n> elapsed_ms=<ms>
 *
 *   START      first line, printed at once; `1` is the version of this format.
 *   R          one request, printed when it ends: in completion order, not in seq order.
 *     seq        1, 2, 3, ... in the order the requests started.
 *     start_ms   when its connect() began, in ms since the probe started (3 decimals).
 *     latency_ms from connect() to the end of the answer or the failure, in ms (3 decimals).
 *     status     the HTTP status code, 0 when no status line was received.
 *     error      `-` when a complete answer arrived (whatever its status), else one word:
 *                timeout      no complete answer within --timeout
 *                refused      connection refused (RST to the SYN)
 *                reset        connection reset after it was established
 *                unreachable  no route to host / network unreachable (ICMP or ARP failure)
 *                closed       the connection closed before a status line arrived
 *                badresponse  the answer is not HTTP
 *                socket       no local socket or port could be had (EMFILE, EADDRNOTAVAIL, ...)
 *                error        any other failure
 *     body       the first 256 bytes of the response body in base64 (RFC 4648, with padding),
 *                `-` when the body is empty or none arrived.
 *   END        last line. reason: duration, max, signal, stdin (end of file on stdin), heartbeat
 *              (nothing on stdin for --heartbeat seconds) or output (stdout closed). sent = requests started, done = R lines printed, ok = R lines
 *              with error `-`, errors = the others, aborted = requests in flight when a signal
 *              or end of file stopped the probe (no R line for them).
 *
 * Example:
 *   START 1 http://172.25.88.100/ rate=50 duration=2 timeout=2000 max=100 concurrency=64
 *   R 1 0.021 1.832 200 - PGgxPnNlcnZlcjI8L2gxPg==
 *   R 2 20.044 1.402 200 - PGgxPnNlcnZlcjM8L2gxPg==
 *   R 3 40.019 0.377 0 refused -
 *   END duration sent=100 done=100 ok=99 errors=1 aborted=0 elapsed_ms=1982.417
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FORMAT_VERSION 1
#define HARD_MAX 2000000L
#define MAX_CONCURRENCY 256
#define BODY_CAP 256
#define HEAD_CAP 8192
#define FLUSH_LINES 64
#define FLUSH_MS 100.0
#define OUT_CAP (256 * 1024)

enum state { FREE = 0, CONNECTING, SENDING, READING };

struct conn {
  enum state state;
  int fd;
  long seq;
  double start_ms;
  double deadline_ms;
  size_t sent;
  /* Header bytes until the end of the header is found, then the first body bytes. */
  char head[HEAD_CAP];
  size_t head_len;
  int header_done;
  int status;
  unsigned char body[BODY_CAP];
  size_t body_len;
};

static struct conn conns[MAX_CONCURRENCY];
static int concurrency = 64;
static int epfd = -1;
static struct timespec t0;

static char request[2048];
static size_t request_len;
static struct sockaddr_storage target;
static socklen_t target_len;

static char out[OUT_CAP];
static size_t out_len;
static int out_lines;
static double first_pending_ms = -1;
static int output_broken;

static long sent_count, done_count, ok_count, error_count;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0.tv_sec) * 1000.0 + (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
}

static void die(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("lvs-probe: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(code);
}

static void flush_out(void) {
  size_t off = 0;
  while (off < out_len && !output_broken) {
    ssize_t n = write(STDOUT_FILENO, out + off, out_len - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      output_broken = 1;
      break;
    }
    off += (size_t)n;
  }
  out_len = 0;
  out_lines = 0;
  first_pending_ms = -1;
}

static void emit(const char *fmt, ...) {
  if (out_len > OUT_CAP - 1024) flush_out();
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out + out_len, OUT_CAP - out_len, fmt, ap);
  va_end(ap);
  if (n > 0) out_len += (size_t)n < OUT_CAP - out_len ? (size_t)n : OUT_CAP - out_len - 1;
  out_lines++;
  if (first_pending_ms < 0) first_pending_ms = now_ms();
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(const unsigned char *in, size_t len, char *dst) {
  size_t i = 0, o = 0;
  for (; i + 2 < len; i += 3) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
    dst[o++] = B64[v >> 18 & 63];
    dst[o++] = B64[v >> 12 & 63];
    dst[o++] = B64[v >> 6 & 63];
    dst[o++] = B64[v & 63];
  }
  if (i < len) {
    unsigned v = (unsigned)in[i] << 16 | (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0);
    dst[o++] = B64[v >> 18 & 63];
    dst[o++] = B64[v >> 12 & 63];
    dst[o++] = i + 1 < len ? B64[v >> 6 & 63] : '=';
    dst[o++] = '=';
  }
  dst[o] = '\0';
}

static const char *error_word(int err) {
  switch (err) {
  case ECONNREFUSED:
    return "refused";
  case ECONNRESET:
  case EPIPE:
  case ECONNABORTED:
    return "reset";
  case EHOSTUNREACH:
  case ENETUNREACH:
  case EHOSTDOWN:
  case ENETDOWN:
    return "unreachable";
  case ETIMEDOUT:
    return "timeout";
  case EADDRNOTAVAIL:
  case EMFILE:
  case ENFILE:
  case ENOBUFS:
  case ENOMEM:
  case EADDRINUSE:
    return "socket";
  default:
    return "error";
  }
}

/* Ends a request: prints its line and frees its slot. error NULL means a complete answer. */
static void finish(struct conn *c, const char *error) {
  double end = now_ms();
  char body[BODY_CAP * 4 / 3 + 8];
  if (c->body_len > 0)
    base64(c->body, c->body_len, body);
  else
    strcpy(body, "-");
  emit("R %ld %.3f %.3f %d %s %s\n", c->seq, c->start_ms, end - c->start_ms, c->status, error ? error : "-",
       body);
  done_count++;
  if (error)
    error_count++;
  else
    ok_count++;
  if (c->fd >= 0) close(c->fd); /* also removes it from the epoll set */
  c->fd = -1;
  c->state = FREE;
}

static int in_flight(void) {
  int n = 0;
  for (int i = 0; i < concurrency; i++) n += conns[i].state != FREE;
  return n;
}

static void start_request(long seq) {
  struct conn *c = NULL;
  for (int i = 0; i < concurrency; i++)
    if (conns[i].state == FREE) {
      c = &conns[i];
      break;
    }
  if (!c) return; /* the caller checks in_flight() first */
  c->seq = seq;
  c->start_ms = now_ms();
  c->sent = 0;
  c->head_len = 0;
  c->header_done = 0;
  c->status = 0;
  c->body_len = 0;
  c->state = CONNECTING;
  c->deadline_ms = 0;
  c->fd = socket(target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    finish(c, error_word(errno));
    return;
  }
  if (connect(c->fd, (struct sockaddr *)&target, target_len) < 0 && errno != EINPROGRESS) {
    finish(c, error_word(errno));
    return;
  }
  struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
    finish(c, "error");
    return;
  }
}

/* Parses the status line once the header is complete; returns 0 when it is not HTTP. */
static int parse_status(struct conn *c) {
  const char *h = c->head;
  if (c->head_len < 12 || strncmp(h, "HTTP/", 5) != 0) return 0;
  const char *sp = memchr(h, ' ', c->head_len);
  if (!sp || sp + 4 > h + c->head_len) return 0;
  if (sp[1] < '0' || sp[1] > '9' || sp[2] < '0' || sp[2] > '9' || sp[3] < '0' || sp[3] > '9') return 0;
  c->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
  return 1;
}

/* Takes bytes read from the server: header first, then up to BODY_CAP bytes of body. */
static void take(struct conn *c, const char *buf, size_t n) {
  if (c->header_done) {
    size_t room = BODY_CAP - c->body_len;
    size_t k = n < room ? n : room;
    memcpy(c->body + c->body_len, buf, k);
    c->body_len += k;
    return;
  }
  size_t room = HEAD_CAP - c->head_len;
  size_t k = n < room ? n : room;
  memcpy(c->head + c->head_len, buf, k);
  c->head_len += k;
  size_t end = 0, sep = 0;
  for (size_t i = 0; i < c->head_len; i++) {
    if (i + 3 < c->head_len && memcmp(c->head + i, "\r\n\r\n", 4) == 0) {
      end = i;
      sep = 4;
      break;
    }
    if (i + 1 < c->head_len && memcmp(c->head + i, "\n\n", 2) == 0) {
      end = i;
      sep = 2;
      break;
    }
  }
  if (sep == 0) return;
  c->header_done = 1;
  parse_status(c);
  size_t body_start = end + sep;
  size_t rest = c->head_len - body_start;
  c->head_len = end;
  if (rest > 0) take(c, c->head + body_start, rest);
  /* Bytes of this read that did not fit in head[] are body too. */
  if (k < n) take(c, buf + k, n - k);
}

static void on_event(struct conn *c, uint32_t events) {
  if (c->state == CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err) {
      finish(c, error_word(err));
      return;
    }
    if (!(events & EPOLLOUT)) return;
    c->state = SENDING;
  }
  if (c->state == SENDING) {
    ssize_t n = send(c->fd, request + c->sent, request_len - c->sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      finish(c, error_word(errno));
      return;
    }
    c->sent += (size_t)n;
    if (c->sent < request_len) return;
    c->state = READING;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) finish(c, "error");
    return;
  }
  if (c->state == READING) {
    char buf[4096];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n > 0) {
      take(c, buf, (size_t)n);
      if (!c->header_done && c->head_len == HEAD_CAP) finish(c, "badresponse");
      return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n < 0) {
      finish(c, error_word(errno));
      return;
    }
    /* End of file: the answer is complete if its header was. */
    if (!c->header_done) {
      if (c->head_len == 0) {
        finish(c, "closed");
        return;
      }
      /* A header without its blank line: HTTP/0.9-like; accept it if the status line parses. */
      c->header_done = 1;
      finish(c, parse_status(c) ? NULL : "badresponse");
      return;
    }
    finish(c, c->status ? NULL : "badresponse");
  }
}

static void usage_die(const char *msg) {
  die(2, "%s\nusage: lvs-probe --url http://HOST[:PORT][/PATH] --rate R --duration S [--timeout MS] "
         "[--max N] [--concurrency C] [--tag WORD] [--heartbeat S] [--ignore-stdin]",
      msg);
}

static double number_arg(const char *name, const char *text, double lo, double hi) {
  char *end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (errno || end == text || *end != '\0' || !isfinite(v) || v < lo || v > hi) {
    char msg[160];
    snprintf(msg, sizeof msg, "--%s must be a number from %g to %g, not \"%s\"", name, lo, hi, text);
    usage_die(msg);
  }
  return v;
}

static void setup_target(const char *url) {
  if (strncmp(url, "http://", 7) != 0) usage_die("--url must start with http:// (the probe speaks plain HTTP)");
  const char *p = url + 7;
  char host[256], port[8] = "80", hostport[300];
  const char *path = strchr(p, '/');
  size_t hp_len = path ? (size_t)(path - p) : strlen(p);
  if (hp_len == 0 || hp_len >= sizeof hostport) usage_die("--url has no host, or a host that is too long");
  memcpy(hostport, p, hp_len);
  hostport[hp_len] = '\0';
  if (strpbrk(hostport, "@?# \t\r\n")) usage_die("--url must be http://HOST[:PORT][/PATH]");
  const char *colon;
  if (hostport[0] == '[') {
    const char *close_br = strchr(hostport, ']');
    if (!close_br) usage_die("--url has an IPv6 address without its closing ]");
    size_t hl = (size_t)(close_br - hostport - 1);
    memcpy(host, hostport + 1, hl);
    host[hl] = '\0';
    colon = close_br[1] == ':' ? close_br + 1 : NULL;
    if (close_br[1] != '\0' && !colon) usage_die("--url must be http://HOST[:PORT][/PATH]");
  } else {
    colon = strchr(hostport, ':');
    size_t hl = colon ? (size_t)(colon - hostport) : strlen(hostport);
    memcpy(host, hostport, hl);
    host[hl] = '\0';
  }
  if (colon) {
    const char *ps = colon + 1;
    size_t pl = strlen(ps);
    if (pl == 0 || pl > 5 || strspn(ps, "0123456789") != pl || atoi(ps) < 1 || atoi(ps) > 65535)
      usage_die("--url has a bad port");
    memcpy(port, ps, pl + 1);
  }
  if (host[0] == '\0') usage_die("--url has no host");
  const char *req_path = path ? path : "/";
  if (strlen(req_path) > 1024 || strpbrk(req_path, " \t\r\n")) usage_die("--url has a bad path");

  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0 || !res) die(1, "cannot resolve %s: %s", host, gai_strerror(rc));
  memcpy(&target, res->ai_addr, res->ai_addrlen);
  target_len = res->ai_addrlen;
  freeaddrinfo(res);

  int n = snprintf(request, sizeof request,
                   "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: lvs-probe/%d\r\nAccept: */*\r\n\r\n", req_path,
                   hostport, FORMAT_VERSION);
  if (n < 0 || (size_t)n >= sizeof request) usage_die("--url is too long");
  request_len = (size_t)n;
}

int main(int argc, char **argv) {
  const char *url = NULL;
  double rate = -1, duration = -1, timeout_ms = 2000;
  long max = -1;
  int ignore_stdin = 0;
  double heartbeat_ms = 0;
  static const struct option opts[] = {
      {"url", required_argument, NULL, 'u'},         {"rate", required_argument, NULL, 'r'},
      {"duration", required_argument, NULL, 'd'},    {"timeout", required_argument, NULL, 't'},
      {"max", required_argument, NULL, 'm'},         {"concurrency", required_argument, NULL, 'c'},
      {"tag", required_argument, NULL, 'g'},         {"ignore-stdin", no_argument, NULL, 'i'},
      {"heartbeat", required_argument, NULL, 'b'},
      {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0},
  };
  int opt;
  while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (opt) {
    case 'u':
      url = optarg;
      break;
    case 'r':
      rate = number_arg("rate", optarg, 0.5, 2000);
      break;
    case 'd':
      duration = number_arg("duration", optarg, 0.1, 3600);
      break;
    case 't':
      timeout_ms = number_arg("timeout", optarg, 10, 60000);
      break;
    case 'm':
      max = (long)number_arg("max", optarg, 1, (double)HARD_MAX);
      break;
    case 'c':
      concurrency = (int)number_arg("concurrency", optarg, 1, MAX_CONCURRENCY);
      break;
    case 'g':
      break;
    case 'i':
      ignore_stdin = 1;
      break;
    case 'b':
      heartbeat_ms = number_arg("heartbeat", optarg, 0.5, 600) * 1000.0;
      break;
    case 'h':
      usage_die("a bounded HTTP probe: one new connection per request, one line per request");
      break;
    default:
      usage_die("unknown option");
    }
  }
  if (optind < argc) usage_die("unexpected argument");
  if (!url || rate < 0 || duration < 0) usage_die("--url, --rate and --duration are required");
  long planned = (long)ceil(rate * duration);
  if (planned > HARD_MAX) planned = HARD_MAX;
  if (max < 0) max = planned;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  setup_target(url);

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  signal(SIGPIPE, SIG_IGN);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (sfd < 0 || epfd < 0) die(1, "cannot set up epoll: %s", strerror(errno));
  /* Markers for the two non-connection event sources. */
  static char sig_tag, stdin_tag;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &sig_tag};
  epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev);
  struct stat st;
  int watch_stdin = !ignore_stdin && fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
  if (watch_stdin) {
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = &stdin_tag;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ev) < 0) watch_stdin = 0;
  }
  if (!watch_stdin) heartbeat_ms = 0;
  double last_input_ms = 0;
  for (int i = 0; i < MAX_CONCURRENCY; i++) conns[i].fd = -1;

  emit("START %d %s rate=%g duration=%g timeout=%g max=%ld concurrency=%d\n", FORMAT_VERSION, url, rate, duration,
       timeout_ms, max, concurrency);
  flush_out();

  const double interval = 1000.0 / rate;
  const double duration_ms = duration * 1000.0;
  const double tolerance = interval * 2 > 250.0 ? interval * 2 : 250.0;
  double next_due = 0;
  const char *reason = NULL;
  int aborted = 0;
  struct epoll_event events[MAX_CONCURRENCY + 2];

  for (;;) {
    double now = now_ms();
    /* Start every request that is due, within the limits. */
    while (sent_count < max && next_due < duration_ms && next_due <= now) {
      if (in_flight() >= concurrency) break;
      sent_count++;
      start_request(sent_count);
      next_due += interval;
      if (now - next_due > tolerance) next_due = now; /* drop a backlog instead of bursting */
      now = now_ms();
    }
    /* Time out requests past their deadline. */
    for (int i = 0; i < concurrency; i++) {
      struct conn *c = &conns[i];
      if (c->state != FREE && now - c->start_ms >= timeout_ms) finish(c, "timeout");
    }
    int busy = in_flight();
    int more = sent_count < max && next_due < duration_ms;
    if (!more && busy == 0) {
      reason = sent_count >= max && next_due < duration_ms ? "max" : "duration";
      break;
    }
    if (output_broken) {
      reason = "output";
      break;
    }
    if (out_lines >= FLUSH_LINES || (first_pending_ms >= 0 && now - first_pending_ms >= FLUSH_MS)) flush_out();

    /* Sleep until the next due request, deadline or flush. */
    double wake = 1e18;
    if (more && busy < concurrency) wake = next_due;
    for (int i = 0; i < concurrency; i++)
      if (conns[i].state != FREE && conns[i].start_ms + timeout_ms < wake) wake = conns[i].start_ms + timeout_ms;
    if (first_pending_ms >= 0 && first_pending_ms + FLUSH_MS < wake) wake = first_pending_ms + FLUSH_MS;
    if (heartbeat_ms > 0 && last_input_ms + heartbeat_ms < wake) wake = last_input_ms + heartbeat_ms;
    double wait = wake - now_ms();
    int wait_ms = wait <= 0 ? 0 : wait > 1000 ? 1000 : (int)ceil(wait);
    int n = epoll_wait(epfd, events, MAX_CONCURRENCY + 2, wait_ms);
    if (n < 0 && errno != EINTR) die(1, "epoll_wait: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
      void *tag = events[i].data.ptr;
      if (tag == &sig_tag) {
        struct signalfd_siginfo si;
        while (read(sfd, &si, sizeof si) == sizeof si) reason = "signal";
      } else if (tag == &stdin_tag) {
        char buf[512];
        ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) reason = "stdin";
        if (r > 0) last_input_ms = now_ms();
      } else {
        struct conn *c = tag;
        if (c->state != FREE) on_event(c, events[i].events);
      }
    }
    if (!reason && heartbeat_ms > 0 && now_ms() - last_input_ms > heartbeat_ms) reason = "heartbeat";
    if (reason) {
      for (int i = 0; i < concurrency; i++)
        if (conns[i].state != FREE) {
          aborted++;
          close(conns[i].fd);
          conns[i].fd = -1;
          conns[i].state = FREE;
        }
      break;
    }
  }
  emit("END %s sent=%ld done=%ld ok=%ld errors=%ld aborted=%d elapsed_ms=%.3f\n", reason, sent_count, done_count,
       ok_count, error_count, aborted, now_ms());
  flush_out();
  return 0;
}
