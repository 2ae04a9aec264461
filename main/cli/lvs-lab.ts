// lvs-lab: the command-line shell of LVS Lab. Readable output by default, --json for scripts,
// a non-zero exit status whenever something failed.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProgressEvent } from '../../shared/progress.js';
import { LabLoadError } from '../core/lab/loader.js';
import { LabService } from '../core/lab-service.js';
import { defaultPaths, resourceRoot } from '../core/paths.js';
import { errorText, LabError } from '../core/errors.js';
import { createApiHandler } from '../core/app.js';
import { BrowserServer } from '../server/browser-server.js';
import { runLiveProbe } from '../core/probe/live.js';
import Docker from 'dockerode';
import { connectEngine } from '../core/docker/engine.js';
import { BuiltinKernel } from '../core/engines/builtin-kernel.js';
import { readEngineSetting } from '../core/engines/engine-setting.js';
import { EngineSwitch } from '../core/engines/engine-switch.js';
import {
  attachEngine,
  chooseEngine,
  hostLacks,
  parseEngineChoice,
  type EngineChoice,
} from '../core/engines/choose-engine.js';
import { hostUser } from '../core/terminal/host-shell.js';
import {
  CAPTURE_DEFAULTS,
  checkLimits,
  parseTargets,
  runCapture,
  saveCaptures,
  timeline,
  type CapturedFile,
} from '../core/capture/capture.js';
import { buildReport, engineLabel, lvsLabVersion, reportText } from '../core/repro/report.js';
import { CannotReplayError, readRepro, replay, ReproFileError } from '../core/repro/replay.js';
import { attachShell } from './shell.js';
import { isTrainerCommand, trainerCommand, TrainerUsageError } from './trainer.js';
import { BundleError } from '../core/bundle/bundle-file.js';
import * as show from './format.js';

const USAGE = `Usage: lvs-lab <command> [options]

Commands:
  list                       the labs and what they teach
  serve [--lab ID] [--port N] the app in your browser: prints an address on 127.0.0.1 with an
                             access token; --lab starts that lab first if it is not running
      --host-terminal        add the Host tab: a shell on this machine, as you (off by default)
  validate FILE...           check lab files; errors name the file, line and field; LVS lint
                             warnings (likely LVS-TUN mistakes) are shown too
  lint FILE...               the same, failing on warnings as well (for a trainer's CI)
  schema [-o FILE]           the lab format as a JSON Schema, for editors (see labs/README.md)
  dev FILE                   the authoring loop: at each save, what is wrong with the file (with
                             its line); a running lab takes new steps and checks at once, and a
                             changed topology offers a restart (press r)
  test LAB|FILE|BUNDLE [--keep]
                             a lab's CI: up from scratch, each step's checks must fail before the
                             step and pass after it, a round of requests, down. Exit 0 pass,
                             1 fail (weak checks too), 4 the engine lacks a kernel feature
  copy LAB                   make your own copy of a lab, in your labs folder
  remove LAB                 remove one of your labs
  pack FILE|DIR [-o X.lvslab] [--author NAME]
                             a lab (its file, its base, its files) as one bundle to share
  export LAB [-o FILE]       pack a lab by its id
  import X.lvslab|DIR|GIT-URL[@ref]
                             add a lab to your labs folder; nothing in it runs, and a bundle that
                             is unsafe or does not validate is refused, with nothing written
  image [--copy-to URL]      build the lab node image if needed and print its tag; --copy-to
                             copies it to another engine (one without a registry)
  preflight                  can this Docker Engine run LVS-TUN labs? what is missing, and the fix
      --load-modules         load the host's ip_vs, ipip, arptables modules (one-shot privileged container)
      --allow-lab-bridging   let lab bridges switch frames from other subnets (one host iptables rule)
      --disallow-lab-bridging  remove that rule
  up LAB                     start a lab (an id from \`list\`, or a lab file)
  status                     the labs on the engine, their nodes and health
  steps                      the steps of the running lab and their progress
  run STEP | --all           apply a step (id or number) and check it
  check [STEP]               check one step, or every step
  probe [--rate R] [--duration S]
                             requests from the client to the service, a new connection each:
                             answers per real server beside the scheduler's share, live
                             (default 20 requests/s for 10 s; Ctrl-C stops early)
  faults                     the faults each node can take (Break/Fix), and those that are on
  break NODE FAULT           break one thing on a node of the running lab (see \`faults\`)
  fix NODE [FAULT]           put a fault back; with no FAULT, every fault on that node
  capture NODE[:IF]... [--seconds S] [--count N] [-w FILE]
                             tcpdump on those nodes at once (all interfaces, or IF such as tunl0),
                             bounded (default 10 s, 1000 packets each); prints one timeline that
                             decodes IPIP, keeps the pcap files with the lab; -w also writes them
                             to FILE (one target) or FILE-NODE-IF.pcap (several)
  report [-o FILE] [--pcaps] a repro file of the running lab: the lab pinned, what was done to it
                             (steps, faults, exec), where it ran, and what it shows now; --pcaps
                             adds the pcap files of the lab's latest capture
  replay FILE [--keep]       re-create that lab on this engine, apply the record, and say what
                             differs: exit 0 the same outcome, 1 a different one, 4 cannot run here
  exec NODE -- CMD...        run a command in a node
  shell NODE                 an interactive shell in a node
  down [LAB]                 stop a lab and remove exactly its containers and networks
  cleanup [--yes] [--all]    find labs left behind by a crash and remove them (and what a
                             crashed built-in kernel left)
  engine start|status|stop|logs
                             LVS Lab's built-in kernel (Linux 6.12 with IPVS, IPIP and arptables,
                             with a Docker Engine inside, in one container on your engine)

Options:
  --engine host|builtin|auto  which engine runs the labs. auto (the default): \`up\` and \`serve\`
             use the host engine when its kernel has ip_vs and ipip, else the built-in kernel;
             the other commands use the built-in kernel while it runs, else the host engine
  --lab ID   which running lab, when several run
  --json     machine-readable output
  -h, --help this help`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const rest = dashDash === -1 ? [] : argv.slice(dashDash + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      engine: { type: 'string' },
      lab: { type: 'string' },
      all: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'load-modules': { type: 'boolean', default: false },
      'copy-to': { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      port: { type: 'string' },
      output: { type: 'string', short: 'o' },
      write: { type: 'string', short: 'w' },
      seconds: { type: 'string' },
      count: { type: 'string' },
      keep: { type: 'boolean', default: false },
      author: { type: 'string' },
      pcaps: { type: 'boolean', default: false },
      'host-terminal': { type: 'boolean', default: false },
      'allow-lab-bridging': { type: 'boolean', default: false },
      'disallow-lab-bridging': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const json = values.json;
  const out = (data: unknown, text: () => string) => {
    console.log(json ? JSON.stringify(data, null, 2) : text());
  };
  const progress = (event: ProgressEvent) => {
    if (!json) process.stderr.write(show.progressLine(event));
  };

  const paths = defaultPaths();
  const host = connectEngine();
  const kernel = new BuiltinKernel(host, {
    kernelContext: paths.kernelContext,
    nodeContext: paths.imageContext,
    stateDir: paths.stateDir,
    // A second engine beside the user's own, for benchmarks and tests.
    ...(process.env.LVS_LAB_ENGINE_INSTANCE ? { instance: process.env.LVS_LAB_ENGINE_INSTANCE } : {}),
  });
  if (command === 'engine') return engineCommand(args[0], kernel, json, progress);
  const choice = parseEngineChoice(values.engine);
  if (isTrainerCommand(command)) {
    const connect = async () => {
      const engine = await engineFor(command, choice, host, kernel, json, progress);
      return { service: new LabService(paths, engine.docker), engineName: engine.name };
    };
    const options = { json, output: values.output, author: values.author, keep: values.keep };
    return trainerCommand(command, args, options, paths, connect);
  }
  if (command === 'serve') {
    // The app's own setting (its Engine panel) when the command line names none.
    const serveChoice =
      values.engine === undefined ? ((await readEngineSetting(paths.stateDir)) ?? 'auto') : choice;
    const chosen = await chooseAndSay(serveChoice, kernel, json, progress);
    // The app can switch engines later (the preflight panel, the engine menu): the whole core
    // holds this one client, whose connection the switch replaces.
    const engines = new EngineSwitch({
      docker: new Docker(),
      host,
      kernel,
      nodeContext: paths.imageContext,
      initial: chosen,
      choice: serveChoice,
      stateDir: paths.stateDir,
    });
    return serve(new LabService(paths, engines.docker), engines, {
      lab: values.lab,
      port: values.port === undefined ? 0 : Number(values.port),
      hostTerminal: values['host-terminal'],
      json,
    });
  }
  const engine = await engineFor(command, choice, host, kernel, json, progress);
  const service = new LabService(paths, engine.docker);

  switch (command) {
    case 'list': {
      const labs = await service.listLabs();
      out(labs, () => show.labList(labs, paths.userLabsDir));
      return labs.some((l) => l.error) ? 1 : 0;
    }
    case 'image': {
      const image = await service.nodeImage(progress);
      const target = values['copy-to'];
      if (target !== undefined) await service.copyNodeImage(image, target);
      out({ image, copiedTo: target ?? null }, () =>
        target === undefined ? image : `${image} copied to ${target}`,
      );
      return 0;
    }
    case 'preflight': {
      if (values['allow-lab-bridging'] || values['disallow-lab-bridging']) {
        const outcome = await service.setLabBridging(values['allow-lab-bridging']);
        if (!json) console.log(`host rule ${outcome}`);
      }
      const report = await service.preflight(progress);
      if (values['load-modules']) {
        if (!report.engine)
          throw new LabError('the Docker Engine is not reachable, so no module can be loaded');
        const loaded = await service.loadModules();
        const after = await service.preflight(progress);
        out(
          { loadModules: loaded, report: after },
          () => show.loadModules(loaded) + '\n\n' + show.preflight(after),
        );
        return after.ok ? 0 : 1;
      }
      // Which engine `up` would use, so that a host without IPVS is not a dead end.
      const lacks = hostLacks(report);
      const serves = lacks.length === 0 ? 'host' : 'builtin';
      out({ ...report, labsRunOn: { engine: serves, hostLacks: lacks } }, () =>
        [show.preflight(report), show.engineVerdict(choice === 'builtin' ? 'builtin' : serves, lacks)].join(
          '\n\n',
        ),
      );
      return report.ok ? 0 : 1;
    }
    case 'up': {
      const ref = args[0] ?? values.lab;
      if (!ref) throw new UsageError('say which lab to start: lvs-lab up <lab>');
      const status = await service.up(ref, progress);
      out(status, () => show.started(status));
      return 0;
    }
    case 'status': {
      const all = await service.status();
      out(all, () => show.status(all));
      return all.some((s) => s.health !== 'running') ? 1 : 0;
    }
    case 'steps': {
      const steps = await service.steps(values.lab);
      out(steps, () => show.steps(steps));
      return 0;
    }
    case 'run': {
      if (values.all) {
        const results = await service.runAll(values.lab, (r) => {
          if (!json) console.log(show.stepResult(r.run, r.check));
        });
        if (json) out(results, () => '');
        return results.every((r) => r.run.ok && r.check.ok) ? 0 : 1;
      }
      const stepId = args[0];
      if (!stepId) throw new UsageError('say which step to run (id or number), or --all');
      const result = await service.runStep(stepId, values.lab);
      out(result, () => show.stepResult(result.run, result.check));
      return result.run.ok && result.check.ok ? 0 : 1;
    }
    case 'check': {
      const results = await service.check(args[0], values.lab);
      out(results, () => results.map(show.checkResult).join('\n'));
      return results.every((r) => r.ok) ? 0 : 1;
    }
    case 'probe': {
      const { lab } = await service.running(values.lab);
      const result = await untilInterrupted((signal) =>
        runLiveProbe(
          service.runtime,
          lab,
          {
            ratePerSecond: Number(values.rate ?? 20),
            durationSeconds: Number(values.duration ?? 10),
            json,
            signal,
          },
          (line) => {
            console.log(line);
          },
        ),
      );
      return result.reason.startsWith('error') || result.stats.errors > 0 ? 1 : 0;
    }
    case 'faults': {
      const list = await service.faults(values.lab);
      out(list, () => show.faults(list));
      return 0;
    }
    case 'break': {
      const [node, faultId] = args;
      if (!node || !faultId) throw new UsageError('usage: lvs-lab break NODE FAULT (see lvs-lab faults)');
      const result = await service.breakFault(node, faultId, values.lab);
      const symptom = (await service.faults(values.lab)).find((f) => f.id === faultId)?.symptom;
      out(result, () => show.faultRun(result, symptom));
      return result.ok ? 0 : 1;
    }
    case 'fix': {
      const [node, faultId] = args;
      if (!node) throw new UsageError('usage: lvs-lab fix NODE [FAULT]');
      const results = await service.fixFault(node, faultId, values.lab);
      out(results, () => results.map((r) => show.faultRun(r)).join('\n'));
      return results.every((r) => r.ok) ? 0 : 1;
    }
    case 'capture': {
      const { lab } = await service.running(values.lab);
      const targets = parseTargets(lab, args);
      const limits = checkLimits({
        seconds: values.seconds === undefined ? CAPTURE_DEFAULTS.seconds : Number(values.seconds),
        count: values.count === undefined ? CAPTURE_DEFAULTS.count : Number(values.count),
      });
      if (!json) {
        process.stderr.write(
          `lvs-lab: capturing on ${targets.map((t) => `${t.node}:${t.iface}`).join(', ')} for ${limits.seconds} s ` +
            `(at most ${limits.count} packets each; Ctrl-C stops sooner)\n`,
        );
      }
      const files = await untilInterrupted((signal) =>
        runCapture(service.nodeExec(lab.id), targets, limits, { signal }),
      );
      const dir = await saveCaptures(paths.stateDir, lab.id, files);
      const written = values.write === undefined ? [] : await writeCaptureFiles(values.write, files);
      const entries = timeline(files);
      out({ dir, written, timeline: entries }, () => show.captureTimeline(entries, dir, written));
      return 0;
    }
    case 'report': {
      const report = await buildReport(service, {
        ...(values.lab === undefined ? {} : { labId: values.lab }),
        engineName: engine.name,
        version: lvsLabVersion(resourceRoot()),
        withCaptures: values.pcaps,
      });
      const text = reportText(report);
      if (values.output === undefined) process.stdout.write(text);
      else {
        await writeFile(values.output, text);
        if (!json) console.log(show.reportSaved(report, values.output));
      }
      return 0;
    }
    case 'replay': {
      const file = args[0];
      if (!file) throw new UsageError('usage: lvs-lab replay FILE [--keep]');
      const result = await replayFile(service, file, engine.name, values.keep, json);
      return result;
    }
    case 'exec': {
      const node = args[0];
      if (!node || rest.length === 0) throw new UsageError('usage: lvs-lab exec NODE -- COMMAND...');
      const result = await service.exec(node, rest.map(show.shellWord).join(' '), values.lab);
      if (json) out(result, () => '');
      else {
        process.stdout.write(result.stdout);
        process.stderr.write(result.stderr);
      }
      return result.exitCode;
    }
    case 'shell': {
      const node = args[0];
      if (!node) throw new UsageError('usage: lvs-lab shell NODE');
      const { lab } = await service.running(values.lab);
      return attachShell(await service.runtime.nodeContainer(lab.id, node));
    }
    case 'down': {
      const removed = await service.down(args[0] ?? values.lab, progress);
      out(removed, () => `removed ${removed.containers} containers and ${removed.networks} networks`);
      return 0;
    }
    case 'cleanup': {
      const candidates = values.all ? await service.status() : await service.orphans();
      const engineLeftovers = values.yes ? await kernel.cleanup() : [];
      if (candidates.length === 0) {
        out({ removed: [], engine: engineLeftovers }, () =>
          engineLeftovers.length > 0
            ? `removed what the built-in kernel left: ${engineLeftovers.join(', ')}`
            : 'nothing to clean up: no lab was left behind',
        );
        return 0;
      }
      if (!values.yes) {
        out({ found: candidates, removed: [] }, () => show.orphans(candidates));
        return 1;
      }
      const removed = await service.cleanup(
        candidates.map((c) => c.instance),
        progress,
      );
      out(
        { found: candidates, removed },
        () => `removed ${removed.containers} containers and ${removed.networks} networks`,
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Runs work that Ctrl-C ends early (through its signal) rather than killing the command. */
async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onInterrupt = () => {
    abort.abort();
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** -w: one target's pcap to FILE, several to FILE-NODE-IF.pcap beside it. */
async function writeCaptureFiles(file: string, files: readonly CapturedFile[]): Promise<string[]> {
  const single = files.length === 1;
  const base = file.replace(/\.pcap$/, '');
  const written: string[] = [];
  for (const captured of files) {
    const name = single ? file : `${base}-${captured.target.node}-${captured.target.iface}.pcap`;
    await writeFile(name, captured.bytes);
    written.push(name);
  }
  return written;
}

/** Replays a repro file and prints what differs; the exit status is the verdict. */
async function replayFile(
  service: LabService,
  file: string,
  engineName: string,
  keep: boolean,
  json: boolean,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ReproFileError(`cannot read ${file}: ${errorText(error)}`);
  }
  const repro = readRepro(text, file);
  try {
    const result = await replay(service, repro, {
      engineName,
      keep,
      say: (line) => {
        if (!json) process.stderr.write(`lvs-lab: ${line}\n`);
      },
    });
    console.log(json ? JSON.stringify(result, null, 2) : show.replayResult(repro, result));
    return result.same ? 0 : 1;
  } catch (error) {
    if (!(error instanceof CannotReplayError)) throw error;
    if (json) console.log(JSON.stringify({ cannotRun: error.message, hint: error.hint }, null, 2));
    else
      console.error(`lvs-lab: cannot replay here: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
    return 4;
  }
}

/** Chooses the engine for a command that starts labs, and says which and why in one line. */
async function chooseAndSay(
  choice: EngineChoice,
  kernel: BuiltinKernel,
  json: boolean,
  progress: (event: ProgressEvent) => void,
) {
  const chosen = await chooseEngine(choice, {
    host: kernel.host,
    kernel,
    nodeContext: defaultPaths().imageContext,
    onProgress: progress,
  });
  if (!json) process.stderr.write(`lvs-lab: ${chosen.reason}\n`);
  return chosen;
}

/**
 * The engine a command talks to. \`up\` and \`serve\` choose (and may start the built-in kernel),
 * saying which in one line; \`list\`, \`image\` and \`preflight\` are about the host engine unless
 * told otherwise; the rest follow the lab to where it runs.
 */
async function engineFor(
  command: string,
  choice: EngineChoice,
  host: Docker,
  kernel: BuiltinKernel,
  json: boolean,
  progress: (event: ProgressEvent) => void,
): Promise<{ docker: Docker; name: string }> {
  if (command === 'list' || ((command === 'image' || command === 'preflight') && choice !== 'builtin'))
    return { docker: host, name: 'host' };
  const chosen =
    command === 'up' || command === 'replay' || command === 'test'
      ? await chooseAndSay(choice, kernel, json, progress)
      : await attachEngine(choice, { host, kernel });
  return {
    docker: chosen.docker,
    name: engineLabel(chosen.kind, chosen.kernel),
  };
}

async function engineCommand(
  action: string | undefined,
  kernel: BuiltinKernel,
  json: boolean,
  progress: (event: ProgressEvent) => void,
): Promise<number> {
  const out = (data: unknown, text: string) => {
    console.log(json ? JSON.stringify(data, null, 2) : text);
  };
  switch (action) {
    case 'start': {
      const started = performance.now();
      await kernel.start(progress);
      const status = await kernel.status();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      out({ ...status, seconds: Number(seconds) }, show.engineStatus(status) + `\nready in ${seconds} s`);
      return 0;
    }
    case 'status': {
      const status = await kernel.status();
      out(status, show.engineStatus(status));
      return status.state === 'running' ? 0 : 1;
    }
    case 'stop': {
      const stopped = await kernel.stop();
      out(
        { stopped },
        stopped
          ? "LVS Lab's built-in kernel stopped; nothing of it is left running"
          : 'the built-in kernel was not running',
      );
      return 0;
    }
    case 'logs': {
      const logs = await kernel.logs();
      out({ logs }, logs || 'the built-in kernel has no logs: it is not there');
      return 0;
    }
    default:
      throw new UsageError('usage: lvs-lab engine start|status|stop|logs');
  }
}

/** Browser mode: serves until Ctrl-C or SIGTERM; the lab keeps running afterwards. */
async function serve(
  service: LabService,
  engines: EngineSwitch,
  options: { lab: string | undefined; port: number; hostTerminal: boolean; json: boolean },
): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
    throw new UsageError('--port takes a port number');
  const server = new BrowserServer({
    staticDir: rendererDir(),
    port: options.port,
    createHandler: (emit) =>
      createApiHandler(service.paths, emit, service, { hostTerminal: options.hostTerminal, engines }),
  });
  const { url } = await server.listen();
  if (
    options.lab !== undefined &&
    !(await service.status()).some((s) => s.labId === options.lab && s.health === 'running')
  ) {
    await service.up(options.lab, (event) => {
      if (!options.json) process.stderr.write(show.progressLine(event));
    });
  }
  // The token is then worth a shell as this user: say so where it is printed.
  const hostShell = options.hostTerminal
    ? `\nThe Host tab is on: whoever has the address gets a shell on this machine as ${hostUser()}`
    : '';
  console.log(
    options.json
      ? JSON.stringify({ url })
      : `LVS Lab is ready: open ${url}\n(only this machine can connect; the address carries the access token)${hostShell}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

/** The built renderer: out/renderer beside the compiled CLI. */
function rendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer');
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TrainerUsageError) {
      console.error(`lvs-lab: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof LabError) {
      console.error(`lvs-lab: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}`);
      // A repro file that cannot be read is bad input, not a different outcome (exit 1).
      process.exitCode = error instanceof ReproFileError || error instanceof BundleError ? 2 : 1;
    } else if (error instanceof LabLoadError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      console.error(`lvs-lab: ${show.engineError(error) ?? errorText(error)}`);
      process.exitCode = 1;
    }
  }
}
