/** A page the web function answers with. */
export interface Page {
  readonly status: number;
  readonly html: string;
}

export function notFoundPage(): Page {
  return { status: 404, html: page('Not found', '<p>There is nothing here.</p>') };
}

export function methodNotAllowedPage(method: string): Page {
  return {
    status: 405,
    html: page(
      'Not allowed',
      `<p>${escapeHtml(method)} is not used here; open the link instead.</p>`,
    ),
  };
}

/** A small page of the web function's own (not found, sign-up, the unsubscribe flow). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem}label{display:block}input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0 1rem}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ??
      character,
  );
}
