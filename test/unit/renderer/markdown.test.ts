// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../renderer/src/markdown/render-markdown.js';

describe('lab markdown', () => {
  it('renders markdown', () => {
    const html = renderMarkdown('`tunl0` comes **up**.\n\n- one\n- two');
    expect(html).toContain('<code>tunl0</code>');
    expect(html).toContain('<strong>up</strong>');
    expect(html).toContain('<li>one</li>');
  });

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('a <img src=x onerror=alert(1)> b\n\n<div onclick="x">block</div>');
    expect(html).not.toMatch(/<img|<div/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;div onclick=&quot;x&quot;&gt;block&lt;/div&gt;');
  });

  it('keeps only http(s) links, opening in a new window without an opener', () => {
    const html = renderMarkdown(
      '[ok](https://example.org/a) [bad](javascript:alert(1)) [file](file:///etc/passwd)',
    );
    expect(html).toContain(
      '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer">ok</a>',
    );
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('file:');
  });

  it('turns images into their alt text', () => {
    expect(renderMarkdown('![a diagram](http://example.org/x.png)')).not.toContain('<img');
  });
});
