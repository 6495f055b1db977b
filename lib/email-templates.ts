import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import juice from 'juice';
import type { DigestTemplates } from '../lambdas/core/6-digest/render-digest.js';

/**
 * The digest email's templates as the digest function uses them: `templates/` with the CSS of
 * `digest.html.hbs` inlined into its elements once, here, at build time (CDK synth, the local
 * runtime, the tests), instead of at every send. The CSS is static, so inlining the template
 * gives each email what inlining the rendered email gave it, and the function ships neither
 * juice nor the HTML parser and HTTP client that juice brings.
 *
 * Partials are expanded into the HTML template first, so that their elements are styled as the
 * document's (table cells get their `bgcolor`, as juice gives cells of a whole document). A
 * class whose name is computed by Handlebars cannot be inlined: the template spells such
 * alternatives out (`{{#if current}}<td class="bar-now">…{{else}}<td class="bar">…{{/if}}`).
 */
const HTML_TEMPLATE = 'digest.html.hbs';

/** What juice did at render time, kept: many mail clients drop `<style>`, so it all goes inline. */
const JUICE_OPTIONS = {
  removeStyleTags: true,
  preserveMediaQueries: true,
  applyWidthAttributes: true,
} as const;

/** The templates of `sourceDir`, the HTML one with its partials expanded and its CSS inlined. */
export function buildEmailTemplates(sourceDir: string): DigestTemplates {
  return {
    html: inlinedHtmlTemplate(sourceDir),
    text: readFileSync(join(sourceDir, 'digest.txt.hbs'), 'utf8'),
    partials: readPartials(sourceDir),
  };
}

/**
 * Copies `sourceDir` (templates/) to `outDir` with the HTML template replaced by its inlined
 * build; `outDir` is emptied first. What `TEMPLATES_DIR` points the digest function at.
 */
export function writeEmailTemplates(sourceDir: string, outDir: string): string {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(sourceDir, outDir, { recursive: true });
  if (existsSync(join(sourceDir, HTML_TEMPLATE))) {
    writeFileSync(join(outDir, HTML_TEMPLATE), inlinedHtmlTemplate(sourceDir));
  }
  return outDir;
}

function inlinedHtmlTemplate(sourceDir: string): string {
  return inlineEmailCss(
    readFileSync(join(sourceDir, HTML_TEMPLATE), 'utf8'),
    readPartials(sourceDir),
  );
}

/** Expands `{{> name}}` partials, inlines the `<style>` block, then drops the spent classes. */
export function inlineEmailCss(
  template: string,
  partials: Readonly<Record<string, string>>,
): string {
  const expanded = template.replace(/\{\{>\s*([\w-]+)\s*\}\}/g, (_call, name: string) => {
    const partial = partials[name];
    if (partial === undefined) throw new Error(`${HTML_TEMPLATE}: no partial "${name}"`);
    return partial.replace(/\n$/, '');
  });
  if (/class="[^"]*\{\{/.test(expanded)) {
    throw new Error(
      `${HTML_TEMPLATE}: a class computed by Handlebars cannot be inlined at build time`,
    );
  }
  // The classes have done their work once the styles are inline; they would only cost bytes.
  return juice(expanded, JUICE_OPTIONS).replace(/ class="[^"]*"/g, '');
}

function readPartials(sourceDir: string): Record<string, string> {
  const dir = join(sourceDir, 'partials');
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.hbs'));
  } catch {
    return {}; // a templates directory without partials
  }
  return Object.fromEntries(
    files.map((file) => [basename(file, '.hbs'), readFileSync(join(dir, file), 'utf8')]),
  );
}
