// The action's only writers to the runner log (main and post both use them). `info` text is written
// raw by @actions/core, so it goes through runnerSafeText (src/untrusted.ts); warnings, errors,
// notices and group names become `::command::data` lines whose data @actions/core escapes (CR, LF,
// %), and commandSafeText escapes the remaining line breaks a viewer might honour.
import * as core from '@actions/core';
import type { StageLog } from './stages.js';
import { commandSafeText, runnerSafeText } from './untrusted.js';

export const actionInfo = (text: string): void => core.info(runnerSafeText(text));
export const actionWarning = (text: string): void => core.warning(commandSafeText(text));
export const actionError = (text: string): void => core.error(commandSafeText(text));
export const actionNotice = (text: string): void => core.notice(commandSafeText(text));

export function actionGroup<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return core.group(commandSafeText(name), fn);
}

export const coreLog: StageLog = {
  info: actionInfo,
  // A block the job printed (a page of its log): fenced whole when any line could be a command.
  untrusted: actionInfo,
  warning: actionWarning,
  error: actionError,
  annotate: (a) => {
    const props = {
      ...(a.file ? { file: commandSafeText(a.file) } : {}),
      ...(a.startLine ? { startLine: a.startLine } : {}),
    };
    if (a.severity === 'error') core.error(commandSafeText(a.message), props);
    else core.warning(commandSafeText(a.message), props);
  },
};
