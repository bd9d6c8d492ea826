// Gestion des licences: the figures are the API's, rows expand into their pools, and
// expired licences have their own section.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PRODUCTS, activeProduct, apiToken, checkAccessibility, launchBrowser,
  licenceOverview, openPage, productRow, screenshot, signIn, startServer,
} from '../harness.mjs';

let server;
let browser;
let session;
let overview;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  overview = await licenceOverview(server, await apiToken(server));
  session = await openPage(browser, server);
  await signIn(session.page);
  await session.page.getByRole('link', { name: 'Gérer les licences' }).click();
  await session.page.getByRole('heading', { name: 'Gestion des licences' }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const activeTable = () => session.page.locator('#licences-actives');
const expiredTable = () => session.page.locator('#licences-expirees');

test('the banner names the day of the automatic unassignment', async () => {
  assert.deepEqual(overview.auto_unassign, { month: 7, day: 31 });
  await session.page
    .getByText('Désaffectation automatique des licences élèves au 31 juillet', { exact: true })
    .waitFor();
  await session.page.getByRole('link', { name: "Retour au compte de l'établissement" }).waitFor();
});

test('every valid product shows the figures the API gives', async () => {
  await activeTable().waitFor();
  const shown = await activeTable().locator('tbody.product').count();
  assert.equal(shown, overview.active.length);
  for (const licences of overview.active) {
    const row = await productRow(activeTable(), licences.product.title);
    assert.equal(row.kind, licences.product.type);
    assert.deepEqual(
      [row.purchased, row.available, row.assigned],
      [licences.purchased, licences.available, licences.assigned],
      licences.product.title,
    );
    assert.match(row.levels, /^(Collège|Lycée|Collège, Lycée)/);
  }
  await screenshot(session.page, 'gestion-des-licences');
  await checkAccessibility(session.page, 'Gestion des licences');
  assert.deepEqual(session.problems, []);
});

test('the demo figures are those of the seed', async () => {
  const figures = async (title) => {
    const row = await productRow(activeTable(), title);
    return [row.purchased, row.available, row.assigned];
  };
  assert.deepEqual(await figures(PRODUCTS.francais), [89, 0, 89]);
  assert.deepEqual(await figures(PRODUCTS.sciences), [58, 5, 53]);
  assert.deepEqual(await figures(PRODUCTS.anglais), [88, 88, 0]);
  const francais = await productRow(activeTable(), PRODUCTS.francais);
  assert.match(francais.levels, /Collège/);
  assert.match(francais.levels, /4e/);
});

test('expanding a product shows one line per pool, with a way to assign it', async () => {
  const page = session.page;
  const toggle = activeTable().getByRole('button', {
    name: `Afficher le détail de ${PRODUCTS.francais}`, exact: true,
  });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');

  const pools = activeTable().getByRole('table', { name: `Lots de licences de ${PRODUCTS.francais}` });
  await pools.waitFor();
  const lines = await pools.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.children].slice(0, 5).map((cell) => cell.textContent.trim())));
  const expected = activeProduct(overview, PRODUCTS.francais).pools;
  assert.equal(lines.length, expected.length);
  const byAudience = Object.fromEntries(lines.map(([who, , ...figures]) => [who, figures.map(Number)]));
  assert.deepEqual(byAudience['Élève'], [85, 0, 85]);
  assert.deepEqual(byAudience['Enseignant'], [4, 0, 4]);
  for (const [, until] of lines) assert.match(until, /^\d\d\/\d\d\/\d{4}/);

  const assignStudents = pools.getByRole('link', { name: `Affecter les licences élève de ${PRODUCTS.francais}` });
  assert.match(await assignStudents.getAttribute('href'), /\/etablissements\/0020002S\/produits\/\d+\/eleves$/);
  await screenshot(page, 'gestion-des-licences-detail');
  await checkAccessibility(page, 'Gestion des licences, détail ouvert');

  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await pools.isVisible(), false);
});

test('the expired section lists the expired products, without any Affecter button', async () => {
  await session.page.getByRole('heading', { name: 'Licences expirées' }).waitFor();
  assert.ok(overview.expired.length >= 2, 'the demo school has expired licences');
  const titles = await expiredTable().locator('tbody.product th[scope=row].title').allInnerTexts();
  assert.deepEqual(titles, overview.expired.map((p) => p.product.title));
  assert.ok(titles.includes(PRODUCTS.francais));
  assert.ok(titles.includes(PRODUCTS.sciences));
  for (const licences of overview.expired) {
    const row = await productRow(expiredTable(), licences.product.title);
    assert.deepEqual(
      [row.purchased, row.available, row.assigned],
      [licences.purchased, licences.available, licences.assigned],
    );
    await expiredTable().getByRole('button', { name: `Afficher le détail de ${licences.product.title}` }).click();
  }
  assert.equal(await expiredTable().getByRole('link', { name: /Affecter/ }).count(), 0);
  await screenshot(session.page, 'licences-expirees');
});

test('the keyboard alone opens a product detail', async () => {
  const page = session.page;
  await page.reload();
  const toggle = activeTable().getByRole('button', {
    name: `Afficher le détail de ${PRODUCTS.anglais}`, exact: true,
  });
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(focused, 'Affecter');
});

test('a school the administrator does not manage shows an error, in French', async () => {
  const { page, context, problems } = await openPage(browser, server);
  await signIn(page);
  await page.goto('/etablissements/0000000A/licences');
  await page.getByRole('alert').filter({ hasText: "Introuvable, ou vous n'y avez pas accès" }).waitFor();
  await page.goto(`/etablissements/0020002S/produits/pas-un-nombre/eleves`);
  await page.getByRole('alert').filter({ hasText: 'Cette adresse ne correspond à aucune page.' }).waitFor();
  await page.goto('/nulle-part');
  await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
