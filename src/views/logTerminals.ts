// A log on a machine in a VS Code terminal (a Pseudoterminal fed by src/setup's SetupLogFollower):
// one terminal per log (a setup run, a job), following it until its run ends. Closing the terminal
// stops reading (never the run, which is detached on the machine); opening it again continues from
// the byte where it stopped — nothing lost, nothing shown twice. With a `resumeStore` the place is
// kept across a reload too (a job's terminal), since the machine's log outlives the window.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import { SetupLogFollower, type ResumePoint, type SetupLogSource } from '../setup/logFollower';
import type { FollowedStatus } from '../setup/setupRemote';

/** A log source on the machine's shared connection; release() gives the connection back. */
export interface LentLog<S extends FollowedStatus> {
  readonly source: SetupLogSource<S>;
  readonly release: () => Promise<void>;
}

export interface LogTerminalSpec<S extends FollowedStatus> {
  readonly title: string;
  readonly icon: string;
  /** The log's path on the machine, as a person types it (the "earlier output" line names it). */
  readonly logPath: string;
  readonly lend: () => Promise<LentLog<S>>;
  /** The last line under a finished log. */
  readonly endLine: (status: S) => string | undefined;
}

/** Where resume points are kept when they must outlive the window. */
export interface ResumeStore {
  get(key: string): ResumePoint | undefined;
  /** `settled`: the terminal closed or the log ended (the place must be kept now, not batched). */
  set(key: string, point: ResumePoint, settled: boolean): void;
}

export class LogTerminals implements vscode.Disposable {
  private readonly open = new Map<string, vscode.Terminal>();
  private readonly resumeAt: ResumeStore;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    resumeStore?: ResumeStore,
  ) {
    const inMemory = new Map<string, ResumePoint>();
    this.resumeAt = resumeStore ?? { get: (k) => inMemory.get(k), set: (k, p) => void inMemory.set(k, p) };
    this.subscription = vscode.window.onDidCloseTerminal((t) => {
      for (const [key, terminal] of this.open) if (terminal === t) this.open.delete(key);
    });
  }

  /** Shows the log's terminal, opening it when it is not open. */
  show<S extends FollowedStatus>(key: string, spec: LogTerminalSpec<S>): void {
    const existing = this.open.get(key);
    if (existing) return existing.show();
    const terminal = vscode.window.createTerminal({
      name: spec.title,
      iconPath: new vscode.ThemeIcon(spec.icon),
      pty: this.pty(key, spec),
    });
    this.open.set(key, terminal);
    terminal.show();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const t of this.open.values()) t.dispose();
  }

  private pty<S extends FollowedStatus>(key: string, spec: LogTerminalSpec<S>): vscode.Pseudoterminal {
    const write = new vscode.EventEmitter<string>();
    let follower: SetupLogFollower<S> | undefined;
    let release: (() => Promise<void>) | undefined;
    let closed = false;
    const keep = (settled: boolean) => follower?.resumeAt && this.resumeAt.set(key, follower.resumeAt, settled);
    const stop = () => {
      closed = true;
      keep(true);
      follower?.stop();
      void release?.();
    };
    return {
      onDidWrite: write.event,
      open: () =>
        void spec.lend().then(
          (lent) => {
            release = lent.release;
            if (closed) return void lent.release();
            const resume = this.resumeAt.get(key);
            if (resume && resume.offset > 0)
              write.fire(
                `${l10n.t`[continuing the log where this terminal stopped: ${spec.logPath} on the machine has it all]`}\r\n`,
              );
            follower = followLog(lent.source, {
              logPath: spec.logPath,
              ...(resume ? { resume } : {}),
              write: (text) => write.fire(text),
              endLine: spec.endLine,
              onText: () => keep(false),
              onEnd: () => {
                keep(true);
                void lent.release();
              },
              onReadFailed: (reason) => this.log.info(`Log ${key}: read failed, trying again (${reason})`),
            });
          },
          (e: unknown) => write.fire(`${l10n.t`Cannot reach the machine: ${String(e)}`}\r\n`),
        ),
      close: stop,
      handleInput: () => undefined, // the log is read-only: the run on the machine has no terminal
    };
  }
}

export interface FollowLogOptions<S extends FollowedStatus> {
  readonly logPath: string;
  readonly resume?: ResumePoint;
  /** Terminal text: its line ends are already '\r\n'. */
  readonly write: (text: string) => void;
  /** The last line under a finished log; undefined for none. */
  readonly endLine: (status: S) => string | undefined;
  readonly onText?: () => void;
  readonly onEnd: (status: S) => void;
  readonly onReadFailed: (reason: string) => void;
}

/** Follows a log on the machine into a terminal (a log terminal's, or a fal task's), from `resume` on. */
export function followLog<S extends FollowedStatus>(
  source: SetupLogSource<S>,
  options: FollowLogOptions<S>,
): SetupLogFollower<S> {
  const follower = new SetupLogFollower<S>({
    source,
    timers: realTimers,
    logPath: options.logPath,
    ...(options.resume ? { resume: options.resume } : {}),
    onText: (text) => {
      options.write(text.replace(/\r?\n/g, '\r\n'));
      options.onText?.();
    },
    onEnd: (status) => {
      const end = options.endLine(status);
      if (end !== undefined) options.write(`\r\n${end}\r\n`);
      options.onEnd(status);
    },
    onReadFailed: options.onReadFailed,
  });
  follower.start();
  return follower;
}
