// Renders a MarkdownString's value the way VS Code's hover does (markdownRenderer.ts, VS Code
// 1.100), with markdown-it standing in for VS Code's `marked`: with theme icons on, a `\$(name)`
// in the source gets its backslash doubled; the markdown becomes HTML (raw HTML allowed here, and
// bare links found, so that whatever could pass shows up); then every `$(name)` or
// `$(name~modifier)` in the HTML becomes an icon, except one after a backslash, which is shown as
// text without the backslash. What it returns is what the tests look for: the links, images and
// HTML the markdown made, the icons, and the text a reader sees.
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: true, linkify: true });
type Token = ReturnType<MarkdownIt['parse']>[number];

/** VS Code's ThemeIcon syntax (themables.ts: iconNameExpression, iconModifierExpression). */
const ICON = '\\$\\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\\)';

export interface Rendered {
  /** Link targets (markdown links, autolinks, bare links found by linkify). */
  readonly links: string[];
  /** Image sources. */
  readonly images: string[];
  /** Raw HTML, inline or block. */
  readonly html: string[];
  /** Icon names (with their modifier) the icon pass drew. */
  readonly icons: string[];
  /** The text a reader sees, white space collapsed. */
  readonly text: string;
}

export function renderLikeVsCode(value: string): Rendered {
  const source = value.replace(new RegExp(`\\\\${ICON}`, 'g'), (m) => `\\${m}`);
  const tokens = markdown.parse(source, {});
  const all = tokens.flatMap((t): Token[] => [t, ...(t.children ?? [])]);
  const icons: string[] = [];
  const html = markdown.renderer
    .render(tokens, markdown.options, {})
    .replace(new RegExp(`(\\\\)?${ICON}`, 'g'), (_m, escaped: string | undefined, name: string) => {
      if (escaped) return `$(${name})`;
      icons.push(name);
      return `<span class="codicon codicon-${name}"></span>`;
    });
  return {
    links: all.filter((t) => t.type === 'link_open').map((t) => t.attrGet('href') ?? ''),
    images: all.filter((t) => t.type === 'image').map((t) => t.attrGet('src') ?? ''),
    html: all.filter((t) => t.type === 'html_inline' || t.type === 'html_block').map((t) => t.content),
    icons,
    text: visibleText(html),
  };
}

/** The rendered HTML's text: tags dropped, entities read, white space collapsed. */
function visibleText(html: string): string {
  const text = html.replace(/<[^>]*>/g, ' ').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' } as Record<string, string>)[e] ?? m;
  });
  return collapse(text);
}

/** White space as a reader sees it: runs collapsed, ends trimmed. */
export function collapse(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
