// Step explanations are markdown from lab files, which anyone can write: raw HTML is shown as
// text, links keep only http(s) targets, and images become their alt text (the page's CSP
// would block remote images anyway).
import { Marked, type Tokens } from 'marked';
import { safeExternalUrl } from '../terminal/links.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const markdown = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag) {
      return block ? `<p>${escapeHtml(text)}</p>\n` : escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      const url = safeExternalUrl(href);
      if (url === null) return text;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(url)}"${titleAttr} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
  },
});

/** HTML for a lab's markdown, safe to insert. */
export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}
