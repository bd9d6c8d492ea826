// What every browser test needs: a real Affecto server on a fresh database, Debian's
// Chromium, sign-in, direct API calls, screenshots and an accessibility check.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const SERVER_BIN = process.env.AFFECTO_BIN ?? join(ROOT, 'target/debug/affecto');
const WEB_DIR = process.env.AFFECTO_WEB_DIR ?? join(ROOT, 'frontend/dist');
const ARTIFACTS = join(HERE, 'artifacts');
const AXE_PATH = join(HERE, 'node_modules/axe-core/axe.min.js');
// Not a wait for readiness (that is the "listening on" line): only a guard so that a
// server that hangs at start fails the run instead of blocking it.
const START_TIMEOUT_MS = 60_000;

/** The demo school and its administrator, created by `affecto serve --demo`. */
export const DEMO = {
  uai: '0020002S',
  email: 'admin@college-demo.fr',
  password: 'demo',
};

/** Exact product titles of the demo school. */
export const PRODUCTS = {
  francais: "FRANCAIS 4e L'envol des lettres ed 2016",
  sciences: 'Sciences et technologie 6e ed 2016',
  anglais: 'I Bet You Can! 6e (2017)',
};

/**
 * Starts `affecto serve --demo` on a free port with a database of its own, and
 * resolves once it prints its address.
 */
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'affecto-e2e-'));
  const args = [
    'serve', '--demo', '--bind', '127.0.0.1:0',
    '--database-url', `sqlite://${join(dir, 'e2e.db')}`,
  ];
  const child = spawn(SERVER_BIN, args, {
    env: { ...process.env, AFFECTO_WEB_DIR: WEB_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  const url = await listeningAddress(child, log);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop, log };
}

function listeningAddress(child, log) {
  return new Promise((resolvePromise, reject) => {
    const fail = (why) => {
      clearTimeout(guard);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n--- server log ---\n${log.slice(-30).join('\n')}`));
    };
    const guard = setTimeout(() => fail('the server did not start listening in time'), START_TIMEOUT_MS);
    child.once('error', (error) => fail(`cannot start ${SERVER_BIN}: ${error.message}`));
    child.once('exit', (code) => fail(`the server exited (code ${code}) before listening`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      const match = line.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(guard);
        child.removeAllListeners('exit');
        resolvePromise(match[1]);
      }
    });
  });
}

/** Debian's Chromium, headless, kept off the network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * The policy the web app must live with: no inline script, no inline style. The
 * server may send a looser one for other pages (its API docs need inline styles);
 * the app's pages are held to this one, whatever the server sends.
 */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
  + "style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/**
 * A fresh browser context on the server (own localStorage), and its page. Page
 * errors and Content-Security-Policy refusals are collected in `problems`.
 */
export async function openPage(browser, server) {
  const context = await browser.newContext({
    baseURL: server.url,
    locale: 'fr-FR',
    viewport: { width: 1280, height: 900 },
  });
  await context.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    const headers = { ...response.headers(), 'content-security-policy': STRICT_CSP };
    return route.fulfill({ response, headers });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|panicked/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return { context, page, problems };
}

/** Signs in through the form as the demo administrator. */
export async function signIn(page) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill(DEMO.email);
  await page.getByLabel('Mot de passe').fill(DEMO.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Compte établissement' }).waitFor();
}

/** A bearer token for direct API calls, as another administrator would have. */
export async function apiToken(server) {
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  assert.equal(response.status, 200, 'the demo administrator can sign in through the API');
  return (await response.json()).access_token;
}

/** Calls the API; resolves to `{ status, body }`. */
export async function api(server, token, path, { method = 'GET', body } = {}) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The demo school's licence overview, straight from the API. */
export async function licenceOverview(server, token) {
  const { status, body } = await api(server, token, `/schools/${DEMO.uai}/licences`);
  assert.equal(status, 200);
  return body;
}

/** The active product with this title, from an overview. */
export function activeProduct(overview, title) {
  const product = overview.active.find((p) => p.product.title === title);
  assert.ok(product, `the demo school has valid licences of ${title}`);
  return product;
}

/** Seats available for one audience in a product's valid pools. */
export function seatsFor(productLicences, audience) {
  return productLicences.pools
    .filter((pool) => pool.audience === audience)
    .reduce((sum, pool) => sum + pool.available, 0);
}

/** Saves a full-page screenshot as `e2e/artifacts/<name>.png`. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core on the page and fails on any serious or critical violation. */
export async function checkAccessibility(page, screen) {
  await injectAxe(page);
  const results = await page.evaluate(() => window.axe.run(document));
  const blocking = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  const report = blocking.map((v) =>
    `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
  assert.deepEqual(report, [], `accessibility violations on ${screen}`);
}

// Not `page.addScriptTag`: it adds an inline script, which the server's
// Content-Security-Policy rightly refuses (and the refusal would be reported as a
// problem of the app). DevTools evaluation is not subject to the policy.
async function injectAxe(page) {
  if (await page.evaluate(() => Boolean(window.axe))) return;
  await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  assert.ok(await page.evaluate(() => Boolean(window.axe)), 'axe-core could be injected');
}

/** The figures of one product row of a licence table, as shown. */
export async function productRow(table, title) {
  const row = table.locator('tbody.product > tr').filter({
    has: table.page().getByRole('rowheader', { name: title, exact: true }),
  }).first();
  await row.waitFor();
  const cells = await row.locator(':scope > td, :scope > th').allInnerTexts();
  const [kind, product, levels, purchased, available, assigned] = cells.map((c) => c.trim());
  return {
    row, kind, product, levels,
    purchased: Number(purchased), available: Number(available), assigned: Number(assigned),
  };
}

/** The seat counter's wording: "1 licence disponible", "17 licences disponibles". */
export function seatsText(n) {
  return n === 1 ? '1 licence disponible' : `${n} licences disponibles`;
}

/** Waits until the assignment screen's counter shows exactly `n` seats. */
export async function waitForCounter(page, n) {
  const exact = new RegExp(`^${seatsText(n)}$`);
  await page.locator('.counter .seats').filter({ hasText: exact }).waitFor();
}
