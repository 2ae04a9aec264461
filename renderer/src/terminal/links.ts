// Links clicked in a terminal or in a step's text: only http(s), in a new window without access
// to this one (noopener), so a lab's text cannot open file:, javascript: or custom schemes.

export function safeExternalUrl(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
}

export function openExternalLink(uri: string): boolean {
  const url = safeExternalUrl(uri);
  if (url === null) return false;
  window.open(url, '_blank', 'noopener,noreferrer');
  return true;
}
