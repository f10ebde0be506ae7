// A job row's tooltip: what the machine says of the job. Its name and command are the user's or a
// teammate's text, so every piece goes in through the escapers.
import * as l10n from '@vscode/l10n';
import { markdownCode, markdownText } from '../core/markdownText';
import { jobOutcomeText } from '../jobs/jobWords';
import type { JobStatus } from '../jobs/types';

/** What the machine says of the job: its command, folder and log (the command is the user's or a teammate's text). */
export function jobTooltipMarkdown(status: JobStatus): string {
  const { run } = status;
  const lines = [
    `**${markdownText(run.name)}** · ${markdownText(jobOutcomeText(status))}`,
    l10n.t`Command: ${markdownText(run.command)}`,
    l10n.t`Runs in: ${markdownText(`~/${run.workdir}`)}`,
    l10n.t`Log: ${markdownCode(`~/.fal/jobs/${run.runId}/log`)}`,
  ];
  return lines.join('\n\n');
}
