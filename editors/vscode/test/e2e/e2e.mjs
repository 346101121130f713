// What a user sees of the extension in a real VS Code (code-server, driven in headless
// Chromium by playwright-core). Started by run.sh, which passes URL (the workbench with the
// workspace open), WORKSPACE (its folder: pipeline.cruddur with `cluster` misspelled, and
// messy.cruddur laid out badly), CHROMIUM, CRUDDUR (the compiler) and OUT (screenshots).
// Each step asserts what is on the screen, as a person would check it.
import { chromium } from 'playwright-core';
import { execFileSync } from 'child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'fs';
import os from 'os';
import path from 'path';

const { URL, WORKSPACE, CHROMIUM, CRUDDUR, OUT } = process.env;
const pipelineFile = path.join(WORKSPACE, 'pipeline.cruddur');
const pipelineText = readFileSync(pipelineFile, 'utf8');
const messyFile = path.join(WORKSPACE, 'messy.cruddur');
const messyText = readFileSync(messyFile, 'utf8');

/** The 1-based line of the first line of `text` that contains `needle`, and its column. */
function find(text, needle, from = 0) {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) {
    const column = lines[i].indexOf(needle);
    if (column >= 0) {
      return { line: i + 1, column: column + 1 };
    }
  }
  throw new Error(`"${needle}" is not in the file`);
}

let failed = 0;
let passed = 0;

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}: ${String(error.message).split('\n').slice(0, 8).join('\n       ')}`);
    await page.screenshot({ path: path.join(OUT, `failed-${name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
  }
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Polls `probe` until it returns a truthy value. */
async function until(what, probe, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) {
        return last;
      }
    } catch (error) {
      last = error;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
const page = await context.newPage();
page.on('console', (message) => {
  if (message.type() === 'error' && /cruddur|mermaid|graph/i.test(message.text())) {
    console.log(`     console: ${message.text().slice(0, 300)}`);
  }
});
page.setDefaultTimeout(20_000);

const editor = () => page.locator('.editor-instance .monaco-editor').first();

/** The text of the editor's visible lines, top to bottom. */
async function visibleText() {
  return editor().evaluate((root) =>
    [...root.querySelectorAll('.view-lines .view-line')]
      .map((line) => ({ top: parseFloat(line.style.top), text: line.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text)
      .join('\n'),
  );
}

async function statusBarText(id) {
  return page.locator(`[id="${id}"]`).innerText();
}

/** Puts the cursor at a 1-based line and column with "Go to Line". */
async function goTo(line, column) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await until(`the cursor at ${line}:${column}`, async () =>
    (await statusBarText('status.editor.selection')).includes(`Ln ${line}, Col ${column}`),
  );
}

async function command(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor();
  await row.click();
}

async function openFile(name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  await until(`${name} in the editor`, async () => (await page.title()).startsWith(name));
}

/** Colour of the first editor token whose text is exactly `text` (or starts with it). */
async function tokenColour(text, prefix = false) {
  return editor().evaluate((root, [wanted, prefix]) => {
    for (const span of root.querySelectorAll('.view-lines .view-line span span')) {
      if (prefix ? span.textContent.startsWith(wanted) : span.textContent === wanted) {
        return getComputedStyle(span).color;
      }
    }
    return null;
  }, [text, prefix]);
}

await page.goto(URL);
await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });

await step('the file opens in the cruddur language mode', async () => {
  await openFile('pipeline.cruddur');
  await until('the language mode cruddur', async () => (await statusBarText('status.editor.mode')).trim() === 'cruddur');
});

await step('the grammar colours items, names, members, strings and comments apart', async () => {
  // The example opens with a long comment: bring an item, its strings and a comment into view.
  const at = find(pipelineText, 'repository backend_flask');
  await goTo(at.line, at.column);
  const colours = await until('tokens coloured', async () => {
    const c = {
      item: await tokenColour('repository'),
      comment: await tokenColour('//', true),
      string: await tokenColour('"backend-flask"'),
      plain: await editor().evaluate((root) => getComputedStyle(root.querySelector('.view-lines')).color),
    };
    return c.item && c.comment && c.string ? c : null;
  });
  const distinct = new Set([colours.item, colours.comment, colours.string, colours.plain]);
  expect(distinct.size === 4, `colours not distinct: ${JSON.stringify(colours)}`);
});

const mistake = find(pipelineText, 'clustr');
await step('the mistake is squiggled, counted in the status bar and listed in Problems with its code', async () => {
  await goTo(mistake.line, mistake.column);
  await until('a red squiggle', async () => (await page.locator('.monaco-editor .squiggly-error').count()) > 0);
  await until('the status bar count', async () =>
    (await page.locator('.statusbar-item', { hasText: 'cruddur: 1 error' }).count()) > 0,
  );
  await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'clustr' }).first();
  await row.waitFor();
  const text = await row.innerText();
  expect(text.includes('E0103'), `no code E0103 in the Problems entry: ${text}`);
  expect(text.includes('`service` has no member `clustr`'), `unexpected Problems entry: ${text}`);
  await page.screenshot({ path: path.join(OUT, 'diagnostics.png') });
});

await step('hover explains a member', async () => {
  const at = find(pipelineText, 'compute    = small');
  await goTo(at.line, at.column);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover-content').first();
  await until('the hover', async () => (await hover.innerText()).includes('memory and vCPUs of the build container'));
  await page.screenshot({ path: path.join(OUT, 'hover.png') });
  await page.keyboard.press('Escape');
});

await step('completion in a block lists the members not yet set', async () => {
  // The blank line after `timeout` in project `bake`.
  const at = find(pipelineText, '  timeout     = 20m');
  expect(pipelineText.split('\n')[at.line] === '', 'no blank line after timeout');
  await goTo(at.line + 1, 1);
  await page.keyboard.press('Control+Space');
  const widget = page.locator('.suggest-widget.visible');
  await widget.waitFor();
  const labels = await until('completion items', async () => {
    const rows = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    return rows.length > 3 ? rows : null;
  });
  // The list shows its first dozen rows, in the order of the project's members.
  for (const wanted of ['badge', 'queued_timeout', 'buildspec']) {
    expect(labels.includes(wanted), `no ${wanted} among ${labels.join(', ')}`);
  }
  for (const unwanted of ['name', 'description', 'timeout', 'environment']) {
    expect(!labels.includes(unwanted), `${unwanted} is set already but offered: ${labels.join(', ')}`);
  }
  await page.screenshot({ path: path.join(OUT, 'completion.png') });
  await page.keyboard.press('Escape');
});

await step('the quick fix from the light bulb corrects the mistake and the error clears', async () => {
  await goTo(mistake.line, mistake.column + 2);
  const bulb = page.locator('.lightBulbWidget, .codicon-lightbulb-autofix, .codicon-lightbulb').first();
  const fix = page.locator('.action-widget .monaco-list-row, .action-widget .action-list-item', { hasText: 'replace with `cluster`' }).first();
  // The bulb is hidden and shown again whenever the editor asks the server for code actions
  // anew (a diagnostics refresh does that), so a click can land between the two: click until
  // the menu holds the fix.
  await until('the quick-fix menu from the light bulb', async () => {
    if ((await fix.count()) > 0 && (await fix.isVisible())) {
      return true;
    }
    await bulb.click({ timeout: 2_000 }).catch(() => {});
    await fix.waitFor({ timeout: 2_000 }).catch(() => {});
    return (await fix.count()) > 0 && (await fix.isVisible());
  });
  await fix.click();
  const corrected = pipelineText.split('\n')[mistake.line - 1].replace('clustr', 'cluster');
  await until('the line corrected', async () => (await visibleText()).includes(corrected));
  await until('the squiggle gone', async () => (await page.locator('.monaco-editor .squiggly-error').count()) === 0);
  await until('the status bar clean', async () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.statusbar-item')].some(
        (item) => item.textContent.trim() === 'cruddur' && item.querySelector('.codicon-check'),
      ),
    ),
  );
});

await step('go to definition moves the cursor to the item', async () => {
  const use = find(pipelineText, 'ecs(backend)');
  const definition = find(pipelineText, 'service backend {');
  await goTo(use.line, use.column + 'ecs('.length + 1);
  await page.keyboard.press('F12');
  await until('the cursor on the definition', async () =>
    (await statusBarText('status.editor.selection')).includes(`Ln ${definition.line},`),
  );
});

await step('the pipeline graph renders offline in a webview', async () => {
  await command('cruddur: Show pipeline graph');
  const svgText = await until('the rendered graph', async () => {
    for (const frame of page.frames()) {
      const svg = frame.locator('#graph svg');
      if ((await svg.count()) > 0) {
        return svg.first().textContent();
      }
    }
    return null;
  });
  for (const name of ['Source', 'bake', 'Deploy', 'ImageDefinition']) {
    expect(svgText.includes(name), `no ${name} in the graph: ${svgText}`);
  }
  await page.screenshot({ path: path.join(OUT, 'graph.png') });
});

await step('Build pipeline writes the AWS files and says so', async () => {
  await page.keyboard.press('Control+S');
  await openFile('pipeline.cruddur');
  await command('cruddur: Build pipeline');
  await until('the notification', async () =>
    (await page.locator('.notification-toast', { hasText: 'cruddur build: wrote 9 files to build' }).count()) > 0,
  );
  const written = readdirSync(path.join(WORKSPACE, 'build', 'buildspec'));
  expect(written.includes('cruddur-backend-flask-bake-image.yml'), `buildspec not written: ${written}`);
  await page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .codicon-close').first().click().catch(() => {});
});

// What `cruddur fmt` makes of the messy file, for comparison.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'cruddur-fmt-'));
copyFileSync(messyFile, path.join(scratch, 'messy.cruddur'));
execFileSync(CRUDDUR, ['fmt', path.join(scratch, 'messy.cruddur')]);
const formatted = readFileSync(path.join(scratch, 'messy.cruddur'), 'utf8');

await step('Format document lays the file out through the server', async () => {
  await openFile('messy.cruddur');
  await command('cruddur: Format document');
  await until('the formatted text', async () => (await visibleText()).trimEnd() === formatted.trimEnd());
});

await step('format on save writes the formatted file', async () => {
  await page.keyboard.press('Control+Z');
  await until('the messy text back', async () => (await visibleText()).trimEnd() === messyText.trimEnd());
  await page.keyboard.press('Control+S');
  await until('the formatted file on disk', async () => readFileSync(messyFile, 'utf8') === formatted);
});

/** The Problems panel's entries that contain `text`. */
async function problems(text) {
  // The shortcut toggles the panel: pressed only to open it.
  if (!(await page.locator('.markers-panel').isVisible())) {
    await page.keyboard.press('Control+Shift+M');
  }
  return page.locator('.markers-panel .monaco-list-row', { hasText: text }).count();
}

await step("a build's warning is listed once, not again beside the server's", async () => {
  await until("the server's warning", async () => (await problems('is never used')) === 1);
  await command('cruddur: Build pipeline');
  await until('the notification', async () =>
    (await page.locator('.notification-toast', { hasText: 'cruddur build: wrote' }).count()) > 0,
  );
  await page.waitForTimeout(500);
  const rows = await problems('is never used');
  expect(rows === 1, `the warning is listed ${rows} times`);
});

await step('denying warnings in the Settings editor shows them as errors at once', async () => {
  await command('Preferences: Open Settings (UI)');
  // The search box has the focus when the Settings editor opens.
  await page.locator('.settings-editor').first().waitFor();
  await page.waitForTimeout(300);
  await page.keyboard.type('cruddur.check.denyWarnings');
  const checkbox = page.getByRole('checkbox', { name: 'cruddur.check.denyWarnings' });
  await checkbox.waitFor();
  await checkbox.click();
  await until('the box ticked', async () => (await checkbox.getAttribute('aria-checked')) === 'true');
  // The Settings editor writes the value a moment after the click.
  await page.waitForTimeout(1000);
  await page.keyboard.press('Escape');
  await openFile('messy.cruddur');
  await until('the status bar count', async () =>
    (await page.locator('.statusbar-item', { hasText: 'cruddur: 1 error' }).count()) > 0,
  );
  await until('the squiggle red', async () => (await page.locator('.monaco-editor .squiggly-error').count()) > 0);
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
