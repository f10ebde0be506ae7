// Text from outside the extension (fal's fields, a machine's output, the user's names) shown where
// VS Code reads markup: the one way it goes into markdown (markdownText, markdownCode), into a
// label that draws `$(icon)` (labelText), and into a notification, whose `[text](link)` runs
// (notificationText). Pure (no `vscode`), unit-tested against a CommonMark renderer.
//
// How VS Code renders a MarkdownString with theme icons on (markdownRenderer.ts, iconLabels.ts in
// VS Code 1.100): it doubles the backslash of every `\$(name)` in the source, renders the markdown
// to HTML, and then turns every `$(name)` or `$(name~modifier)` left in the HTML into an icon,
// except one preceded by a backslash, which it shows as the plain text `$(name)`. So escaping `$`
// or `(` for markdown is not enough (the renderer removes those escapes before icons are matched):
// the HTML must carry `\$(name)`, which is what the markdown `\\\$\(name\)` renders to.

/** `$(` where VS Code's icon syntax follows (the name and modifier expressions of its ThemeIcon). */
const ICON_START = /\$\((?=[A-Za-z0-9-]+(?:~[A-Za-z]+)?\))/g;

/** Line and paragraph breaks and the other control characters: none has a place in one line of text. */
const BREAKS_AND_CONTROLS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and then it is only text. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** A value that reads the same in a code span and can start nothing there (ids, types, addresses). */
const CODE_SAFE = /^[A-Za-z0-9_.:@+-]+$/;

function oneLine(text: string): string {
  return text.replace(BREAKS_AND_CONTROLS, ' ');
}

/**
 * `text` as markdown that shows exactly `text` (line breaks and control characters as spaces) and
 * makes nothing: no link, image, autolink, HTML, entity, emphasis, heading, list, quote, table
 * cell boundary or theme icon. For MarkdownStrings with theme icons on (all of this extension's):
 * it stops the icon pass with a backslash that VS Code then removes. Safe in a table cell.
 */
export function markdownText(text: string): string {
  return labelText(text).replace(ASCII_PUNCTUATION, (c) => `\\${c}`);
}

/**
 * `text` in a code span when it is a plain token (an id, a type, an IP); anything else as
 * markdownText. A code span takes no escapes, so a backtick, a pipe in a table or an icon in
 * it could not be shown as itself: such a value is shown as text instead, literally.
 */
export function markdownCode(text: string): string {
  return CODE_SAFE.test(text) ? `\`${text}\`` : markdownText(text);
}

/**
 * `text` for a label that draws `$(name)` as an icon (quick pick label, description and detail,
 * status bar text): VS Code's own escape, a backslash it removes when it draws the label.
 */
export function labelText(text: string): string {
  return oneLine(text).replace(ICON_START, (start) => `\\${start}`);
}

/** VS Code's link syntax in notification messages (its parseLinkedText): `[label](https://…|command:…|file:…)`. */
const NOTIFICATION_LINK_JOINT = /\]\(/g;

/**
 * `text` for a notification message (or a progress notification's title and message), which
 * draws no icons and no markup but makes `[label](target)` a link, `command:` targets included:
 * a zero-width space between `]` and `(` leaves it text.
 */
export function notificationText(text: string): string {
  return text.replace(NOTIFICATION_LINK_JOINT, ']\u200b(');
}

/**
 * What can make a link, an image, HTML or a table cell in a markdown document. `:` too: a preview's
 * bare-link finder reads `https://…\<img …>` as a link that swallows the escape of the `<`.
 */
const DOCUMENT_ACTIVE = /[\\`*[\]|<>:]/g;

/**
 * `text` for a markdown document that is read as source in an editor (the spend report) and may be
 * previewed: it stops links, images, autolinks, HTML, code spans and table cells, and nothing else,
 * so the source stays readable (`inst_abc`, not `inst\_abc`). No icons are drawn in either view.
 */
export function markdownDocumentText(text: string): string {
  return oneLine(text).replace(DOCUMENT_ACTIVE, (c) => `\\${c}`);
}

/**
 * A `command:` link target that passes `args`: JSON, percent-encoded down to letters and digits,
 * so no argument can end the link (`)`), start an icon in it (`$(`) or change the command.
 */
export function commandUri(command: string, args: readonly unknown[]): string {
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `command:${command}?${encoded}`;
}

/** Line breaks of any kind, and the controls and bidi overrides that could disguise a log line. */
const LOG_BREAKS = /\r\n|[\r\n\u0085\u2028\u2029]/g;
const LOG_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` for the output channel (plain text): a line break inside it starts an indented
 * continuation, never what looks like a new timestamped entry, and control characters and bidi
 * overrides show as `�`.
 */
export function logText(text: string): string {
  return text.replace(LOG_BREAKS, '\n    ').replace(LOG_CONTROLS, '\ufffd');
}
