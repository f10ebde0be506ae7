// A CommandTransport for sampler tests: records connects, commands and closes, and answers the sample
// command with the real outputs of test/fixtures/nvidia-smi, framed as the real shell frames them.
import {
  CommandTransportError,
  type CommandConnection,
  type CommandTransport,
  type ConnectOptions,
} from '../../../src/connections/commandTransport';
import type { ExecResult, RunResult, SshTarget } from '../../../src/connections/types';
import { fixture } from './fixtures';
import type { StubMode } from './stubNvidiaSmi';

export const NONCE = 'fake01';
const M = `@@fal-gpu-${NONCE}`;

/** The stdout the sample command prints when nvidia-smi behaves as `mode`. */
export function sampleStdout(mode: StubMode): RunResult {
  const result = (stdout: string): RunResult => ({ stdout, stderr: '', exitCode: 0, truncated: false });
  if (mode === 'missing') return result(`bash: line 1: nvidia-smi: command not found\n${M} gpu 127\n`);
  if (mode === 'driver-failed') return result(`${fixture('driver-failed.txt')}${M} gpu 9\n`);
  return result(
    `${fixture(`query-gpu.${mode}.csv`)}${M} gpu 0\n${fixture(`query-compute-apps.${mode}.csv`)}${M} apps 0\n`,
  );
}

export type Answer = StubMode | RunResult | CommandTransportError | (() => Promise<RunResult>);

export class FakeTransport implements CommandTransport {
  readonly connects: string[] = [];
  readonly commands: { id: string; command: string }[] = [];
  readonly open = new Set<FakeConnection>();
  closes = 0;
  /** Per instance: what connect() does (default: succeed). */
  readonly connectErrors = new Map<string, CommandTransportError>();
  /** Per instance: how the next commands are answered (default: idle 1x). */
  readonly answers = new Map<string, Answer>();

  readonly connectOptions: ConnectOptions[] = [];

  async connect(target: SshTarget, options: ConnectOptions = {}): Promise<CommandConnection> {
    this.connectOptions.push(options);
    this.connects.push(target.id);
    const error = this.connectErrors.get(target.id);
    if (error) throw error;
    const conn = new FakeConnection(this, target.id);
    this.open.add(conn);
    return conn;
  }

  openFor(id: string): FakeConnection[] {
    return [...this.open].filter((c) => c.id === id);
  }
}

export class FakeConnection implements CommandConnection {
  private readonly dropListeners: ((reason: string) => void)[] = [];

  constructor(
    private readonly transport: FakeTransport,
    readonly id: string,
  ) {}

  async run(command: string): Promise<RunResult> {
    if (!this.transport.open.has(this)) throw new CommandTransportError('closed', 'the SSH connection is closed');
    this.transport.commands.push({ id: this.id, command });
    const answer = this.transport.answers.get(this.id) ?? 'h100x1-idle';
    if (answer instanceof CommandTransportError) throw answer;
    if (typeof answer === 'function') return answer();
    return typeof answer === 'string' ? sampleStdout(answer) : answer;
  }

  /** Streams are for transfers, which the sampler never starts. */
  exec(): Promise<ExecResult> {
    return Promise.reject(new CommandTransportError('closed', 'the fake transport does not stream'));
  }

  /** Port forwards are not the sampler's. */
  forward(): Promise<never> {
    return Promise.reject(new CommandTransportError('closed', 'the fake transport does not forward'));
  }

  async close(): Promise<void> {
    if (this.transport.open.delete(this)) this.transport.closes++;
  }

  onDrop(listener: (reason: string) => void): void {
    this.dropListeners.push(listener);
  }

  /** The server or network ends the connection. */
  drop(reason = 'Connection reset'): void {
    this.transport.open.delete(this);
    for (const l of this.dropListeners.splice(0)) l(reason);
  }
}
